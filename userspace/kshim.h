/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * kshim.h: the handful of kernel types and helpers that the module's pure
 * sources (kmod/pktid.c, kmod/proto.h) use, mapped to C11 so that the very
 * same files compile into the daemon and the unit tests.  Force-included
 * with -include when compiling a kmod/ source in userspace.
 */
#ifndef MVPN_KSHIM_H
#define MVPN_KSHIM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <errno.h>
#include <arpa/inet.h>

#define MVPN_USERSPACE 1

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;
typedef int64_t s64;
typedef uint16_t __be16;
typedef uint32_t __be32;

#ifndef likely
#define likely(x) __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)
#endif

#define BUILD_BUG_ON(cond) _Static_assert(!(cond), #cond)
#define EXPORT_SYMBOL_GPL(sym)

/* <linux/bits.h>, <linux/bitfield.h>: 32-bit masks are all the sources use. */
#define GENMASK(h, l) ((~0u >> (31 - (h))) & (~0u << (l)))
#define FIELD_PREP(mask, val) (((u32)(val) << __builtin_ctz(mask)) & (mask))
#define FIELD_GET(mask, reg) (((u32)(reg) & (mask)) >> __builtin_ctz(mask))

/*
 * <linux/atomic.h>: userspace users of the shared sources are
 * single-threaded per object (the daemon's data plane, unit tests).
 */
typedef struct {
	int64_t counter;
} atomic64_t;

static inline void atomic64_set(atomic64_t *v, int64_t i)
{
	v->counter = i;
}

static inline int64_t atomic64_read(const atomic64_t *v)
{
	return v->counter;
}

static inline int64_t atomic64_inc_return(atomic64_t *v)
{
	return ++v->counter;
}

static inline u32 get_unaligned_be32(const void *p)
{
	const u8 *b = p;

	return (u32)b[0] << 24 | (u32)b[1] << 16 | (u32)b[2] << 8 | b[3];
}

static inline void put_unaligned_be32(u32 v, void *p)
{
	u8 *b = p;

	b[0] = v >> 24;
	b[1] = v >> 16;
	b[2] = v >> 8;
	b[3] = v;
}

#endif /* MVPN_KSHIM_H */
