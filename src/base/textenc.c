/* textenc.c - see textenc.h */
#include "base/textenc.h"
#include "base/arena.h"

#include <errno.h>
#include <iconv.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

const char *text_encoding_name(enum text_encoding e)
{
	switch (e) {
	case ENC_UTF8: return "UTF-8";
	case ENC_UTF8_BOM: return "UTF-8 (BOM)";
	case ENC_UTF16LE: return "UTF-16LE";
	case ENC_UTF16BE: return "UTF-16BE";
	case ENC_GB18030: return "GB18030";
	}
	return "?";
}

/* Length of the valid multi-byte UTF-8 sequence at s[0..n) (lead byte
 * >= 0x80), or 0 when it is not one. */
static inline size_t utf8_seq(const unsigned char *s, size_t n)
{
	unsigned c = s[0];
	size_t len;
	unsigned cp, min;
	if (c >= 0xC2 && c <= 0xDF) {
		len = 2; cp = c & 0x1F; min = 0x80;
	} else if (c >= 0xE0 && c <= 0xEF) {
		len = 3; cp = c & 0x0F; min = 0x800;
	} else if (c >= 0xF0 && c <= 0xF4) {
		len = 4; cp = c & 0x07; min = 0x10000;
	} else {
		return 0;       /* stray continuation, 0xC0/0xC1, 0xF5+ */
	}
	if (n < len)
		return 0;
	for (size_t k = 1; k < len; k++) {
		if ((s[k] & 0xC0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[k] & 0x3F);
	}
	if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
		return 0;
	return len;
}

size_t utf8_valid_prefix(const unsigned char *s, size_t n)
{
	size_t i = 0;
	while (i < n) {
		/* ASCII eight bytes at a time: no byte >= 0x80 and none 0 */
		while (n - i >= 8) {
			uint64_t w;
			memcpy(&w, s + i, 8);
			if ((w & UINT64_C(0x8080808080808080)) ||
			    ((w - UINT64_C(0x0101010101010101)) & ~w &
			     UINT64_C(0x8080808080808080)))
				break;
			i += 8;
		}
		if (i == n)
			break;
		unsigned c = s[i];
		if (c >= 0x01 && c < 0x80) {
			i++;
			continue;
		}
		size_t len = c ? utf8_seq(s + i, n - i) : 0;
		if (len == 0)
			return i;       /* NUL or not a UTF-8 sequence */
		i += len;
	}
	return n;
}

int utf8_mostly_valid(const unsigned char *s, size_t n)
{
	size_t high = 0, in_seq = 0;
	for (size_t i = 0; i < n;) {
		if (s[i] < 0x80) {
			i++;
			continue;
		}
		size_t len = utf8_seq(s + i, n - i);
		if (len) {
			high += len;
			in_seq += len;
			i += len;
		} else {
			high++;
			i++;
		}
	}
	/* at least 90 %, in integers: in_seq / high >= 9 / 10 */
	return high > 0 && in_seq * 10 >= high * 9;
}

long line_at(const char *s, size_t pos)
{
	long line = 1;
	for (size_t i = 0; i < pos; i++) {
		if (s[i] == '\n')
			line++;
		else if (s[i] == '\r' && (i + 1 >= pos || s[i + 1] != '\n'))
			line++;
	}
	return line;
}

int utf8_put(char *out, unsigned cp)
{
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (char)(0xC0 | (cp >> 6));
		out[1] = (char)(0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = (char)(0xE0 | (cp >> 12));
		out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		out[2] = (char)(0x80 | (cp & 0x3F));
		return 3;
	}
	out[0] = (char)(0xF0 | (cp >> 18));
	out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
	out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
	out[3] = (char)(0x80 | (cp & 0x3F));
	return 4;
}

size_t utf8_len(const char *s)
{
	size_t n = 0;
	for (; *s; s++)
		n += ((unsigned char)*s & 0xC0) != 0x80;
	return n;
}

static int fail(struct decoded *d, char *out, long line, const char *why)
{
	free(out);
	d->text = NULL;
	d->len = 0;
	d->bad_line = line;
	d->why = why;
	return -1;
}

/* Convert with iconv, growing the output as needed (git's reencode loop).
 * A lone 0x80 in GB18030 input becomes U+20AC (code page 936's euro). */
static int convert(const char *from, const unsigned char *in, size_t n,
		   struct decoded *d)
{
	iconv_t cd = iconv_open("UTF-8", from);
	if (cd == (iconv_t)-1)
		return fail(d, NULL, 1, "this system's iconv cannot convert it");
	size_t cap = n * 2 + 16, used = 0;
	char *out = xmalloc(cap);
	char *ip = (char *)in;
	size_t ileft = n;
	while (ileft > 0) {
		char *op = out + used;
		size_t oleft = cap - used - 1;
		size_t r = iconv(cd, &ip, &ileft, &op, &oleft);
		used = (size_t)(op - out);
		if (r != (size_t)-1)
			break;
		if (errno == E2BIG) {
			cap *= 2;
			out = xrealloc(out, cap);
		} else if (errno == EILSEQ && d->enc == ENC_GB18030 &&
			   (unsigned char)*ip == 0x80) {
			if (cap - used < 8) {
				cap *= 2;
				out = xrealloc(out, cap);
			}
			used += (size_t)utf8_put(out + used, 0x20AC);
			ip++;
			ileft--;
		} else {
			iconv_close(cd);
			long line = line_at(out, used);
			return fail(d, out, line,
				    errno == EINVAL ?
				    "file ends inside a character" :
				    "bytes that are not valid text");
		}
	}
	iconv_close(cd);
	out[used] = '\0';
	if (memchr(out, '\0', used))
		return fail(d, out, line_at(out, strlen(out)),
			    "a NUL character");
	d->text = out;
	d->len = used;
	return 0;
}

/* A message when the first bytes of a file without a byte order mark
 * look like UTF-16 (its ASCII characters' zero bytes at odd offsets,
 * little-endian, or at even ones; a hanzi such as U+4E00 has one on the
 * other side now and then), else NULL.  Only a file with NUL bytes,
 * which no UTF-8 or GB18030 text has, can look so. */
static const char *utf16_without_bom(const unsigned char *in, size_t n)
{
	size_t m = n < 4096 ? n : 4096, zero[2] = { 0, 0 };
	for (size_t i = 0; i < m; i++)
		zero[i & 1] += in[i] == 0;
	if (zero[0] + zero[1] < 8 ||
	    (zero[0] < 4 * zero[1] && zero[1] < 4 * zero[0]))
		return NULL;
#define UTF16_SAY(order) "the file looks like UTF-16 (" order ") without " \
	"a byte order mark: save it again as \"CSV UTF-8\" or as " \
	"\"Unicode text\" (which writes one)"
	return zero[1] > zero[0] ? UTF16_SAY("little-endian") :
				   UTF16_SAY("big-endian");
#undef UTF16_SAY
}

int text_decode(const unsigned char *in, size_t n, struct decoded *d)
{
	memset(d, 0, sizeof *d);
	if (n >= 3 && in[0] == 0xEF && in[1] == 0xBB && in[2] == 0xBF) {
		d->enc = ENC_UTF8_BOM;
		in += 3;
		n -= 3;
	} else if (n >= 2 && in[0] == 0xFF && in[1] == 0xFE) {
		d->enc = ENC_UTF16LE;
		return convert("UTF-16LE", in + 2, n - 2, d);
	} else if (n >= 2 && in[0] == 0xFE && in[1] == 0xFF) {
		d->enc = ENC_UTF16BE;
		return convert("UTF-16BE", in + 2, n - 2, d);
	} else {
		d->enc = ENC_UTF8;
		/* NUL bytes are refused whatever the file; at every other
		 * byte they are UTF-16 that lost its byte order mark */
		const char *u16 = utf16_without_bom(in, n);
		if (u16) {
			d->why_names_it = 1;
			return fail(d, NULL, 1, u16);
		}
	}
	size_t ok = utf8_valid_prefix(in, n);
	if (ok == n) {
		/* UTF-8 already: the text is the input (no copy of a file
		 * of megabytes; the parser reads by length) */
		d->text = (char *)in;
		d->len = n;
		d->borrowed = 1;
		return 0;
	}
	if (d->enc == ENC_UTF8_BOM || in[ok] == 0)
		return fail(d, NULL, line_at((const char *)in, ok),
			    in[ok] == 0 ? "a NUL byte" :
			    "bytes that are not valid UTF-8 (the file starts "
			    "with a UTF-8 byte order mark)");
	/* a UTF-8 file with a damaged byte is not GB18030: re-reading it so
	 * would turn every Chinese name into mojibake (rules.md §2.1) */
	if (utf8_mostly_valid(in, n))
		return fail(d, NULL, line_at((const char *)in, ok),
			    "invalid UTF-8: a damaged byte in a file that is "
			    "otherwise UTF-8");
	d->enc = ENC_GB18030;
	return convert("GB18030", in, n, d);
}
