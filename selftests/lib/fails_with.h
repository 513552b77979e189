/* SPDX-License-Identifier: GPL-2.0 */
/*
 * "The call failed with errno X" for C selftests of C-library-style
 * calls (-1 and errno), saying what happened instead when it did not.
 */
#ifndef KXEN_FAILS_WITH_H
#define KXEN_FAILS_WITH_H

#include <errno.h>
#include <stdbool.h>
#include <string.h>
#include "ktap.h"

static inline bool fails_with(long ret, int want)
{
	if (ret == -1 && errno == want)
		return true;
	ktap_diag("returned %ld, errno %d (%s); want errno %d", ret, errno,
		  strerror(errno), want);
	return false;
}

#endif /* KXEN_FAILS_WITH_H */
