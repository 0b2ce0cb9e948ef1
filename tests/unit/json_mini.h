/* json_mini.h - just enough JSON to read the public CSV suites' expected
 * values (tests/data): arrays, objects, strings with every escape
 * (surrogate pairs too), numbers, true, false, null.  Test code only. */
#ifndef SVCBILL_JSON_MINI_H
#define SVCBILL_JSON_MINI_H

#include <stddef.h>

enum jtype { J_NULL, J_BOOL, J_NUM, J_STR, J_ARR, J_OBJ };

struct jval {
	enum jtype type;
	char *str;                  /* J_STR (UTF-8, may hold NUL: len), J_NUM text */
	size_t len;
	struct jval *items;         /* J_ARR items, J_OBJ values */
	char **keys;                /* J_OBJ keys, in file order */
	size_t n;
};

/* Parses text[0..n); NULL on a syntax error.  Free with json_free. */
struct jval *json_parse(const char *text, size_t n);
void json_free(struct jval *v);
/* The member named key of an object, or NULL. */
const struct jval *json_get(const struct jval *obj, const char *key);

#endif
