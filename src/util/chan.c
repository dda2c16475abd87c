/*
 * chan.c: a bounded queue between two threads, one mutex and one condition
 * for every change (a queue with one sender and one receiver needs no more).
 */
#include <stdlib.h>
#include <string.h>

#include "cbpack/buf.h"
#include "cbpack/chan.h"
#include "cbpack/error.h"

int cb_chan_init(struct cb_chan *c, size_t cap, struct cb_error *err)
{
	int rc;

	memset(c, 0, sizeof(*c));
	if ((rc = pthread_mutex_init(&c->lock, NULL)) != 0)
		return cb_error_set(err, CB_ERROR, "cannot make a mutex: %s", strerror(rc));
	if ((rc = pthread_cond_init(&c->changed, NULL)) != 0) {
		pthread_mutex_destroy(&c->lock);
		return cb_error_set(err, CB_ERROR, "cannot make a condition variable: %s",
				    strerror(rc));
	}
	c->items = cb_xcalloc(cap ? cap : 1, sizeof(*c->items));
	c->cap = cap ? cap : 1;
	return 0;
}

void cb_chan_destroy(struct cb_chan *c)
{
	if (!c || !c->items)
		return;
	pthread_cond_destroy(&c->changed);
	pthread_mutex_destroy(&c->lock);
	free(c->items);
	c->items = NULL;
}

bool cb_chan_send(struct cb_chan *c, void *item)
{
	bool sent = false;

	pthread_mutex_lock(&c->lock);
	while (!c->closed && c->n == c->cap)
		pthread_cond_wait(&c->changed, &c->lock);
	if (!c->closed) {
		c->items[(c->head + c->n++) % c->cap] = item;
		sent = true;
		pthread_cond_broadcast(&c->changed);
	}
	pthread_mutex_unlock(&c->lock);
	return sent;
}

void *cb_chan_recv(struct cb_chan *c)
{
	void *item = NULL;

	pthread_mutex_lock(&c->lock);
	while (!c->closed && !c->n)
		pthread_cond_wait(&c->changed, &c->lock);
	if (c->n) {
		item = c->items[c->head];
		c->head = (c->head + 1) % c->cap;
		c->n--;
		pthread_cond_broadcast(&c->changed);
	}
	pthread_mutex_unlock(&c->lock);
	return item;
}

void cb_chan_close(struct cb_chan *c)
{
	pthread_mutex_lock(&c->lock);
	c->closed = true;
	pthread_cond_broadcast(&c->changed);
	pthread_mutex_unlock(&c->lock);
}
