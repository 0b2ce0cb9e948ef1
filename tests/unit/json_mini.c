/* json_mini.c - see json_mini.h.  Not a test file: no TEST() here. */
#include "json_mini.h"
#include "base/textenc.h"

#include <stdlib.h>
#include <string.h>

struct jp {
	const char *s;
	size_t n, i;
	int bad;
};

static void ws(struct jp *p)
{
	while (p->i < p->n && (p->s[p->i] == ' ' || p->s[p->i] == '\n' ||
			       p->s[p->i] == '\r' || p->s[p->i] == '\t'))
		p->i++;
}

static int hex4(struct jp *p, unsigned *out)
{
	unsigned v = 0;
	for (int k = 0; k < 4; k++, p->i++) {
		if (p->i >= p->n)
			return -1;
		char c = p->s[p->i];
		v <<= 4;
		if (c >= '0' && c <= '9') v |= (unsigned)(c - '0');
		else if (c >= 'a' && c <= 'f') v |= (unsigned)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F') v |= (unsigned)(c - 'A' + 10);
		else return -1;
	}
	*out = v;
	return 0;
}

static char *string(struct jp *p, size_t *len)
{
	/* at the opening quote */
	p->i++;
	size_t cap = 64, used = 0;
	char *b = malloc(cap);
	for (;;) {
		if (p->i >= p->n) {
			p->bad = 1;
			break;
		}
		if (used + 8 > cap)
			b = realloc(b, cap *= 2);
		char c = p->s[p->i++];
		if (c == '"')
			break;
		if (c != '\\') {
			b[used++] = c;
			continue;
		}
		if (p->i >= p->n) {
			p->bad = 1;
			break;
		}
		c = p->s[p->i++];
		unsigned cp;
		switch (c) {
		case 'n': b[used++] = '\n'; break;
		case 'r': b[used++] = '\r'; break;
		case 't': b[used++] = '\t'; break;
		case 'b': b[used++] = '\b'; break;
		case 'f': b[used++] = '\f'; break;
		case 'u':
			if (hex4(p, &cp) != 0) {
				p->bad = 1;
				break;
			}
			if (cp >= 0xD800 && cp < 0xDC00 && p->i + 6 <= p->n &&
			    p->s[p->i] == '\\' && p->s[p->i + 1] == 'u') {
				unsigned lo;
				p->i += 2;
				if (hex4(p, &lo) != 0) {
					p->bad = 1;
					break;
				}
				cp = 0x10000 + ((cp - 0xD800) << 10) +
				     (lo - 0xDC00);
			}
			used += (size_t)utf8_put(b + used, cp);
			break;
		default: b[used++] = c; break;   /* \" \\ \/ */
		}
	}
	b[used] = '\0';
	*len = used;
	return b;
}

static void value(struct jp *p, struct jval *v);

static void list(struct jp *p, struct jval *v, int obj)
{
	char close = obj ? '}' : ']';
	p->i++;
	size_t cap = 0;
	ws(p);
	if (p->i < p->n && p->s[p->i] == close) {
		p->i++;
		return;
	}
	while (!p->bad) {
		if (v->n == cap) {
			cap = cap ? cap * 2 : 8;
			v->items = realloc(v->items, sizeof *v->items * cap);
			if (obj)
				v->keys = realloc(v->keys, sizeof *v->keys * cap);
		}
		ws(p);
		if (obj) {
			size_t kl;
			if (p->i >= p->n || p->s[p->i] != '"') {
				p->bad = 1;
				return;
			}
			v->keys[v->n] = string(p, &kl);
			ws(p);
			if (p->i >= p->n || p->s[p->i] != ':') {
				free(v->keys[v->n]);
				p->bad = 1;
				return;
			}
			p->i++;
		}
		value(p, &v->items[v->n]);
		v->n++;
		ws(p);
		if (p->i < p->n && p->s[p->i] == ',') {
			p->i++;
			continue;
		}
		if (p->i < p->n && p->s[p->i] == close) {
			p->i++;
			return;
		}
		p->bad = 1;
	}
}

static void value(struct jp *p, struct jval *v)
{
	memset(v, 0, sizeof *v);
	ws(p);
	if (p->i >= p->n) {
		p->bad = 1;
		return;
	}
	char c = p->s[p->i];
	if (c == '"') {
		v->type = J_STR;
		v->str = string(p, &v->len);
	} else if (c == '[') {
		v->type = J_ARR;
		list(p, v, 0);
	} else if (c == '{') {
		v->type = J_OBJ;
		list(p, v, 1);
	} else if (strncmp(p->s + p->i, "null", 4) == 0) {
		v->type = J_NULL;
		p->i += 4;
	} else if (strncmp(p->s + p->i, "true", 4) == 0) {
		v->type = J_BOOL;
		p->i += 4;
	} else if (strncmp(p->s + p->i, "false", 5) == 0) {
		v->type = J_BOOL;
		p->i += 5;
	} else {
		size_t st = p->i;
		while (p->i < p->n && strchr("+-.0123456789eE", p->s[p->i]))
			p->i++;
		if (p->i == st) {
			p->bad = 1;
			return;
		}
		v->type = J_NUM;
		v->len = p->i - st;
		v->str = malloc(v->len + 1);
		memcpy(v->str, p->s + st, v->len);
		v->str[v->len] = '\0';
	}
}

static void free_inner(struct jval *v)
{
	for (size_t i = 0; i < v->n; i++) {
		free_inner(&v->items[i]);
		if (v->keys)
			free(v->keys[i]);
	}
	free(v->items);
	free(v->keys);
	free(v->str);
}

struct jval *json_parse(const char *text, size_t n)
{
	struct jp p = { text, n, 0, 0 };
	struct jval *v = malloc(sizeof *v);
	value(&p, v);
	ws(&p);
	if (p.bad || p.i != n) {
		json_free(v);
		return NULL;
	}
	return v;
}

void json_free(struct jval *v)
{
	if (!v)
		return;
	free_inner(v);
	free(v);
}

const struct jval *json_get(const struct jval *obj, const char *key)
{
	for (size_t i = 0; obj->type == J_OBJ && i < obj->n; i++)
		if (strcmp(obj->keys[i], key) == 0)
			return &obj->items[i];
	return NULL;
}
