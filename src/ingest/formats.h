#ifndef CBPACK_INGEST_FORMATS_H
#define CBPACK_INGEST_FORMATS_H

/* Private to src/ingest: one importer per real export format. */

#include "cbpack/ingest.h"

#define CB_INGEST_FN(name) \
	int name(const char *path, const char *data, size_t len, const struct cb_sink *sink, \
		 struct cb_ingest_stats *st, struct cb_error *err)

/* JSON APIs (src/ingest/json_*.c) */
CB_INGEST_FN(cb_ingest_stripe);
CB_INGEST_FN(cb_ingest_paypal_disputes);
CB_INGEST_FN(cb_ingest_easypost);
CB_INGEST_FN(cb_ingest_aftership);
CB_INGEST_FN(cb_ingest_zendesk);

/* CSV exports (src/ingest/csv_*.c) */
CB_INGEST_FN(cb_ingest_stripe_payments_csv);
CB_INGEST_FN(cb_ingest_shopify_orders);
CB_INGEST_FN(cb_ingest_messages);
CB_INGEST_FN(cb_ingest_orders_csv);
CB_INGEST_FN(cb_ingest_payments_csv);
CB_INGEST_FN(cb_ingest_disputes_csv);
CB_INGEST_FN(cb_ingest_shipments_csv);
CB_INGEST_FN(cb_ingest_tracking_csv);
CB_INGEST_FN(cb_ingest_policies_csv);

#endif
