/* stub_json.c: placeholders, deleted as the json importers land. */
#include "cbpack/error.h"
#include "formats.h"

CB_INGEST_FN(cb_ingest_stripe)
{
	(void)data; (void)len; (void)sink; (void)st;
	return cb_error_at(err, CB_ERROR, path, 0, "this format is not implemented yet");
}

CB_INGEST_FN(cb_ingest_paypal_disputes)
{
	(void)data; (void)len; (void)sink; (void)st;
	return cb_error_at(err, CB_ERROR, path, 0, "this format is not implemented yet");
}

CB_INGEST_FN(cb_ingest_easypost)
{
	(void)data; (void)len; (void)sink; (void)st;
	return cb_error_at(err, CB_ERROR, path, 0, "this format is not implemented yet");
}

CB_INGEST_FN(cb_ingest_aftership)
{
	(void)data; (void)len; (void)sink; (void)st;
	return cb_error_at(err, CB_ERROR, path, 0, "this format is not implemented yet");
}

CB_INGEST_FN(cb_ingest_zendesk)
{
	(void)data; (void)len; (void)sink; (void)st;
	return cb_error_at(err, CB_ERROR, path, 0, "this format is not implemented yet");
}

