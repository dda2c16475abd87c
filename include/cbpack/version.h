#ifndef CBPACK_VERSION_H
#define CBPACK_VERSION_H

/* Part of every batch digest: a new version rebuilds every packet. */
#define CB_VERSION "0.1.0"

#endif
