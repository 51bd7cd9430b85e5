/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* A check that stays in every build type (assert() goes with NDEBUG) and
 * aborts, which libFuzzer and the corpus driver both report as a crash. */
#ifndef VMFEX_FUZZ_CHECK_H
#define VMFEX_FUZZ_CHECK_H

#include <stdio.h>
#include <stdlib.h>

#define CHECK(x)                                                                     \
	do {                                                                         \
		if (!(x)) {                                                          \
			fprintf(stderr, "%s:%d: %s: check failed: %s\n", __FILE__,   \
			        __LINE__, __func__, #x);                             \
			abort();                                                     \
		}                                                                    \
	} while (0)

#endif
