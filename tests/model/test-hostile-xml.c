/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Hostile XML given to both parsers (the catalog reader and the UCS
 * Manager importer): entity expansion (billion laughs, quadratic blowup),
 * external entities and DTDs (no file read, no network), 50 MB of input,
 * 10,000-deep nesting, invalid UTF-8, names with quotes and angle
 * brackets. Each must give a clear error, quickly and in little memory. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include <libvmfex/libvmfex.h>

static char last_log[2048];

static void capture_log(void *data, int priority, const char *file, int line, const char *fn,
                        const char *format, va_list args)
{
	vsnprintf(last_log, sizeof(last_log), format, args);
}

static struct vmfex_ctx *ctx;

static int setup(void **state)
{
	struct vmfex_new_opts o = { .sz = sizeof(o), .sysfs_root = "/nonexistent", .ignore_env = 1 };

	assert_int_equal(vmfex_new_with_opts(&o, &ctx), 0);
	vmfex_set_log_fn(ctx, capture_log, NULL);
	return 0;
}

static int teardown(void **state)
{
	vmfex_unref(ctx);
	return 0;
}

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static long maxrss_kb(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_maxrss;
}

/* Both parsers refuse the document with err, logging a message holding
 * expect, within 2 s and 32 MiB of new peak memory. */
static void both_refuse(const char *doc, size_t len, int err, const char *expect)
{
	for (int which = 0; which < 2; which++) {
		struct vmfex_catalog *c = NULL;
		long rss = maxrss_kb();
		double t = now_ms();
		int r;

		last_log[0] = '\0';
		if (which == 0) {
			r = vmfex_catalog_new_from_buffer(ctx, doc, len, &c);
		} else {
			assert_int_equal(vmfex_catalog_new(ctx, &c), 0);
			r = vmfex_catalog_import_ucsm(c, doc, len);
			assert_int_equal(vmfex_catalog_get_n_profiles(c), 0);
		}
		vmfex_catalog_unref(c);
		t = now_ms() - t;
		if (r != err)
			fail_msg("%s: %d instead of %d (%s)", which ? "import" : "catalog", r, err,
			         last_log);
		if (expect && !strstr(last_log, expect))
			fail_msg("%s: '%s' does not say '%s'", which ? "import" : "catalog", last_log,
			         expect);
		assert_true(t < 20000); /* against blow-up, not a speed target: valgrind runs it too */
		assert_true(maxrss_kb() - rss < 32 * 1024);
	}
}

static void refuse(const char *doc, int err, const char *expect)
{
	both_refuse(doc, strlen(doc), err, expect);
}

static void billion_laughs(void **state)
{
	refuse("<?xml version=\"1.0\"?>\n"
	       "<!DOCTYPE lolz [\n"
	       " <!ENTITY lol \"lol\">\n"
	       " <!ENTITY lol1 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">\n"
	       " <!ENTITY lol2 \"&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;\">\n"
	       " <!ENTITY lol3 \"&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;\">\n"
	       " <!ENTITY lol4 \"&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;\">\n"
	       " <!ENTITY lol5 \"&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;\">\n"
	       " <!ENTITY lol6 \"&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;\">\n"
	       " <!ENTITY lol7 \"&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;\">\n"
	       " <!ENTITY lol8 \"&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;\">\n"
	       " <!ENTITY lol9 \"&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;\">\n"
	       "]>\n"
	       "<catalog version=\"1\"><profile name=\"&lol9;\"/></catalog>\n",
	       -EINVAL, "DOCTYPE");
}

static void external_entities(void **state)
{
	/* A file read: the error must not carry the file's content. */
	refuse("<?xml version=\"1.0\"?><!DOCTYPE c [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
	       "<catalog version=\"1\"><cluster name=\"&x;\"/></catalog>",
	       -EINVAL, "DOCTYPE");
	assert_null(strstr(last_log, "root:"));
	/* An external DTD over the network, and a parameter entity. */
	refuse("<?xml version=\"1.0\"?><!DOCTYPE catalog SYSTEM \"http://127.0.0.1:9/evil.dtd\">"
	       "<catalog version=\"1\"/>", -EINVAL, "DOCTYPE");
	refuse("<?xml version=\"1.0\"?><!DOCTYPE c [<!ENTITY % p SYSTEM \"file:///etc/shadow\"> %p;]>"
	       "<catalog version=\"1\"/>", -EINVAL, "DOCTYPE");
	/* An undeclared entity without a DTD, and XInclude (not processed). */
	refuse("<catalog version=\"1\"><cluster name=\"&x;\"/></catalog>", -EINVAL, ":1:");
	{
		struct vmfex_catalog *c;
		const char *xi = "<configResolveClass xmlns:xi=\"http://www.w3.org/2001/XInclude\">"
		                 "<xi:include href=\"/etc/passwd\" parse=\"text\"/></configResolveClass>";

		assert_int_equal(vmfex_catalog_new(ctx, &c), 0);
		assert_int_equal(vmfex_catalog_import_ucsm(c, xi, strlen(xi)), 0);
		vmfex_catalog_unref(c);
	}
}

static void huge_input(void **state)
{
	size_t len = 50u << 20;
	char *doc = malloc(len + 1);
	char path[256];
	const char *tmp = getenv("TMPDIR");
	struct vmfex_catalog *c;
	FILE *f;

	assert_non_null(doc);
	memset(doc, ' ', len);
	memcpy(doc, "<catalog version=\"1\">", 21);
	memcpy(doc + len - 10, "</catalog>", 10);
	doc[len] = '\0';
	both_refuse(doc, len, -EFBIG, "more than the limit");
	/* From a file: refused before it is read. */
	snprintf(path, sizeof(path), "%s/hostile-big-%d.xml", tmp ? tmp : "/tmp", (int)getpid());
	f = fopen(path, "w");
	assert_non_null(f);
	assert_int_equal(fwrite(doc, 1, len, f), len);
	fclose(f);
	free(doc);
	{
		long rss = maxrss_kb();

		assert_int_equal(vmfex_catalog_open(ctx, path, NULL, &c), -EFBIG);
		assert_int_equal(vmfex_catalog_new(ctx, &c), 0);
		assert_int_equal(vmfex_catalog_import_ucsm_file(c, path), -EFBIG);
		vmfex_catalog_unref(c);
		assert_true(maxrss_kb() - rss < 8 * 1024);
	}
	unlink(path);
}

static void deep_nesting(void **state)
{
	size_t n = 10000, len = 0;
	char *doc = malloc(n * 7 + 64);

	assert_non_null(doc);
	for (size_t i = 0; i < n; i++)
		len += (size_t)sprintf(doc + len, "<a>");
	for (size_t i = 0; i < n; i++)
		len += (size_t)sprintf(doc + len, "</a>");
	both_refuse(doc, len, -EINVAL, "nested too deeply");
	free(doc);
}

static void bad_utf8(void **state)
{
	refuse("<?xml version=\"1.0\" encoding=\"UTF-8\"?><catalog version=\"1\"><cluster name=\"\xc3\x28\"/></catalog>",
	       -EINVAL, "UTF-8");
	refuse("<catalog version=\"1\"><cluster name=\"\xff\xfe\"/></catalog>", -EINVAL, NULL);
	/* A NUL byte inside the document. */
	both_refuse("<catalog version=\"1\">\0</catalog>", 32, -EINVAL, NULL);
	/* Empty and truncated documents. */
	both_refuse("", 0, -EINVAL, "empty");
	refuse("<catalog version=\"1\"><profile", -EINVAL, ":1:");
}

static void names_with_markup(void **state)
{
	struct vmfex_catalog *c;
	static const char *const docs[] = {
		"<catalog version=\"1\"><cluster name=\"a&quot;b\"/></catalog>",
		"<catalog version=\"1\"><cluster name=\"&lt;script&gt;\"/></catalog>",
		"<catalog version=\"1\"><cluster name='a\"b'/></catalog>",
		"<catalog version=\"1\"><profile name=\"p&apos;\" max-ports=\"1\" host-nw-io-perf=\"none\" type=\"regular\"/></catalog>",
	};

	for (size_t i = 0; i < sizeof(docs) / sizeof(*docs); i++) {
		assert_int_equal(vmfex_catalog_new_from_buffer(ctx, docs[i], strlen(docs[i]), &c),
		                 -EINVAL);
		assert_non_null(strstr(last_log, "not a valid catalog"));
	}
	/* What the writer makes of a description with markup characters
	 * that UCS Manager allows: escaped by libxml2, read back equal. */
	{
		struct vmfex_profile *p;
		struct vmfex_catalog *d;
		char *buf;
		size_t len;

		assert_int_equal(vmfex_catalog_new(ctx, &c), 0);
		assert_int_equal(vmfex_catalog_add_profile(c, "p", &p), 0);
		assert_int_equal(vmfex_profile_set_descr(p, "a & b; c&amp; [d]"), 0);
		vmfex_profile_unref(p);
		assert_int_equal(vmfex_catalog_write_buffer(c, &buf, &len), 0);
		assert_non_null(strstr(buf, "descr=\"a &amp; b; c&amp;amp; [d]\""));
		assert_int_equal(vmfex_catalog_new_from_buffer(ctx, buf, len, &d), 0);
		assert_int_equal(vmfex_catalog_lookup_profile(d, "p", &p), 0);
		assert_string_equal(vmfex_profile_get_descr(p), "a & b; c&amp; [d]");
		vmfex_profile_unref(p);
		vmfex_catalog_unref(d);
		vmfex_catalog_unref(c);
		free(buf);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(billion_laughs),
		cmocka_unit_test(external_entities),
		cmocka_unit_test(huge_input),
		cmocka_unit_test(deep_nesting),
		cmocka_unit_test(bad_utf8),
		cmocka_unit_test(names_with_markup),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
