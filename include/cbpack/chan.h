#ifndef CBPACK_CHAN_H
#define CBPACK_CHAN_H

/*
 * A bounded queue of pointers from one thread to another. The sender closes
 * it when it has sent everything; the receiver may close it to say it wants
 * no more. Items already queued are still received after a close.
 */

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>

struct cb_error;

struct cb_chan {
	pthread_mutex_t lock;
	pthread_cond_t changed;
	void **items;
	size_t cap, head, n;
	bool closed;
};

/** Room for `cap` items (> 0). Release with cb_chan_destroy. */
int cb_chan_init(struct cb_chan *c, size_t cap, struct cb_error *err);
void cb_chan_destroy(struct cb_chan *c);

/** Queue `item` (not NULL), waiting while the queue is full; false once closed. */
bool cb_chan_send(struct cb_chan *c, void *item);

/** The oldest item, waiting while there is none; NULL once closed and empty. */
void *cb_chan_recv(struct cb_chan *c);

void cb_chan_close(struct cb_chan *c);

#endif
