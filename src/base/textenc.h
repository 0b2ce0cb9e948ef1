/* textenc.h - detect a CSV file's encoding and convert it to UTF-8.
 *
 * The rules (rules.md §2.1): a byte order mark fixes the encoding (UTF-8,
 * UTF-16LE, UTF-16BE); otherwise valid UTF-8 is UTF-8, bytes >= 0x80 at
 * least 90 % in valid UTF-8 sequences are UTF-8 with damaged bytes (an
 * error), and anything else is GB18030, where the lone byte 0x80 is read as
 * the euro sign as Windows code page 936 writes it.  Only this module and
 * csvread.c see raw bytes. */
#ifndef SVCBILL_TEXTENC_H
#define SVCBILL_TEXTENC_H

#include <stddef.h>

enum text_encoding {
	ENC_UTF8,
	ENC_UTF8_BOM,
	ENC_UTF16LE,
	ENC_UTF16BE,
	ENC_GB18030,
};

const char *text_encoding_name(enum text_encoding e);

struct decoded {
	char *text;                 /* UTF-8, no BOM; malloc'd and
				     * NUL-terminated, or (borrowed) the
				     * input's own bytes when they are UTF-8
				     * already */
	size_t len;
	int borrowed;
	enum text_encoding enc;
	long bad_line;              /* on failure: physical line of the bad byte */
	const char *why;            /* on failure: what is wrong */
	int why_names_it;           /* ... which names the encoding itself */
};

/* 0 on success (caller frees d->text unless borrowed: then it lives as
 * long as in); -1 on invalid bytes. */
int text_decode(const unsigned char *in, size_t n, struct decoded *d);

/* Length of the valid UTF-8 prefix of s[0..n): n when all of it is valid.
 * NUL bytes, overlong forms, surrogates and code points past U+10FFFF are
 * invalid. */
size_t utf8_valid_prefix(const unsigned char *s, size_t n);

/* Whether at least 90 % of the bytes >= 0x80 of s[0..n) belong to valid
 * multi-byte UTF-8 sequences (rules.md §2.1: such a file is UTF-8 with
 * damaged bytes, never GB18030); 0 when there are none. */
int utf8_mostly_valid(const unsigned char *s, size_t n);

/* 1-based physical line at byte offset pos (CRLF, LF and lone CR each end
 * one line). */
long line_at(const char *s, size_t pos);

/* Decode one code point at *p (valid UTF-8 assumed), advancing *p.
 * Inline: layout and the PDF writer decode every character they draw or
 * measure, five million calls in a month of 200 invoices. */
static inline unsigned utf8_next(const char **pp)
{
	const unsigned char *p = (const unsigned char *)*pp;
	unsigned c = *p++;
	unsigned cp;
	int extra;
	if (c < 0x80) { cp = c; extra = 0; }
	else if (c < 0xE0) { cp = c & 0x1F; extra = 1; }
	else if (c < 0xF0) { cp = c & 0x0F; extra = 2; }
	else { cp = c & 0x07; extra = 3; }
	while (extra-- > 0 && (*p & 0xC0) == 0x80)
		cp = (cp << 6) | (*p++ & 0x3F);
	*pp = (const char *)p;
	return cp;
}

/* Append the UTF-8 form of code point cp to out (4 bytes max); returns length. */
int utf8_put(char *out, unsigned cp);

/* Number of code points in a valid UTF-8 string. */
size_t utf8_len(const char *s);

#endif
