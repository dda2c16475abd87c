/* stub_csv.c: placeholders, deleted as the csv importers land. */
#include "cbpack/error.h"
#include "formats.h"

CB_INGEST_FN(cb_ingest_stripe_payments_csv)
{
	(void)data; (void)len; (void)sink; (void)st;
	return cb_error_at(err, CB_ERROR, path, 0, "this format is not implemented yet");
}

CB_INGEST_FN(cb_ingest_shopify_orders)
{
	(void)data; (void)len; (void)sink; (void)st;
	return cb_error_at(err, CB_ERROR, path, 0, "this format is not implemented yet");
}

CB_INGEST_FN(cb_ingest_messages)
{
	(void)data; (void)len; (void)sink; (void)st;
	return cb_error_at(err, CB_ERROR, path, 0, "this format is not implemented yet");
}

CB_INGEST_FN(cb_ingest_orders_csv)
{
	(void)data; (void)len; (void)sink; (void)st;
	return cb_error_at(err, CB_ERROR, path, 0, "this format is not implemented yet");
}

CB_INGEST_FN(cb_ingest_payments_csv)
{
	(void)data; (void)len; (void)sink; (void)st;
	return cb_error_at(err, CB_ERROR, path, 0, "this format is not implemented yet");
}

CB_INGEST_FN(cb_ingest_disputes_csv)
{
	(void)data; (void)len; (void)sink; (void)st;
	return cb_error_at(err, CB_ERROR, path, 0, "this format is not implemented yet");
}

CB_INGEST_FN(cb_ingest_shipments_csv)
{
	(void)data; (void)len; (void)sink; (void)st;
	return cb_error_at(err, CB_ERROR, path, 0, "this format is not implemented yet");
}

CB_INGEST_FN(cb_ingest_tracking_csv)
{
	(void)data; (void)len; (void)sink; (void)st;
	return cb_error_at(err, CB_ERROR, path, 0, "this format is not implemented yet");
}

CB_INGEST_FN(cb_ingest_policies_csv)
{
	(void)data; (void)len; (void)sink; (void)st;
	return cb_error_at(err, CB_ERROR, path, 0, "this format is not implemented yet");
}

