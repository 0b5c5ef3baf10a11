/* YAML scenario files: the YAML document becomes the equivalent JSON value, then the JSON
 * parser takes over (one schema, one set of checks). Plain scalars that read as numbers,
 * booleans or null become those; quoted scalars stay strings. Aliases are followed, with
 * a bound on depth and size so an alias bomb cannot exhaust memory. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cellscan/status.h"
#include "synth_internal.h"

#ifdef CS_HAVE_YAML
#include <yaml.h>

#define MAX_DEPTH 32
#define MAX_VALUES 200000

typedef struct conv {
    yaml_document_t *doc;
    const char *path;
    size_t values;
    int rc;
} conv;

static json_t *scalar(const yaml_node_t *n)
{
    const char *s = (const char *)n->data.scalar.value;
    if (n->data.scalar.style != YAML_PLAIN_SCALAR_STYLE) return json_string(s);
    if (!strcmp(s, "null") || !strcmp(s, "~") || !*s) return json_null();
    if (!strcmp(s, "true")) return json_true();
    if (!strcmp(s, "false")) return json_false();
    char *end;
    long long i = strtoll(s, &end, 10);
    if (*end == '\0' && end != s) return json_integer(i);
    double d = strtod(s, &end);
    if (*end == '\0' && end != s && strspn(s, "+-0123456789.eE") == strlen(s)) return json_real(d);
    return json_string(s);
}

static json_t *convert(conv *c, yaml_node_t *n, int depth)
{
    if (!n || depth > MAX_DEPTH || ++c->values > MAX_VALUES) {
        c->rc = cs_error(CS_EFORMAT, "%s: YAML nested too deep or too large", c->path);
        return NULL;
    }
    if (n->type == YAML_SCALAR_NODE) return scalar(n);
    if (n->type == YAML_SEQUENCE_NODE) {
        json_t *a = json_array();
        for (yaml_node_item_t *it = n->data.sequence.items.start; it < n->data.sequence.items.top; it++) {
            json_t *v = convert(c, yaml_document_get_node(c->doc, *it), depth + 1);
            if (!v) {
                json_decref(a);
                return NULL;
            }
            json_array_append_new(a, v);
        }
        return a;
    }
    json_t *o = json_object();
    for (yaml_node_pair_t *p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top; p++) {
        yaml_node_t *k = yaml_document_get_node(c->doc, p->key);
        if (!k || k->type != YAML_SCALAR_NODE) {
            c->rc = cs_error(CS_EFORMAT, "%s: line %lu: mapping keys must be plain names", c->path,
                             k ? (unsigned long)k->start_mark.line + 1 : 0ul);
            json_decref(o);
            return NULL;
        }
        const char *key = (const char *)k->data.scalar.value;
        if (json_object_get(o, key)) {
            c->rc = cs_error(CS_EFORMAT, "%s: line %lu: duplicate key '%s'", c->path,
                             (unsigned long)k->start_mark.line + 1, key);
            json_decref(o);
            return NULL;
        }
        json_t *v = convert(c, yaml_document_get_node(c->doc, p->value), depth + 1);
        if (!v) {
            json_decref(o);
            return NULL;
        }
        json_object_set_new(o, key, v);
    }
    return o;
}

int cs_synth_yaml_load(const char *path, json_t **out)
{
    FILE *fp = fopen(path, "rb");
    if (!fp) return cs_error(CS_EIO, "%s: cannot open scenario file", path);
    yaml_parser_t parser;
    yaml_document_t doc;
    if (!yaml_parser_initialize(&parser)) {
        fclose(fp);
        return cs_error(CS_ENOMEM, "out of memory");
    }
    yaml_parser_set_input_file(&parser, fp);
    int rc = CS_OK;
    if (!yaml_parser_load(&parser, &doc)) {
        rc = cs_error(CS_EFORMAT, "%s: line %lu: %s", path, (unsigned long)parser.problem_mark.line + 1,
                      parser.problem ? parser.problem : "YAML syntax error");
    } else {
        yaml_node_t *root = yaml_document_get_root_node(&doc);
        conv c = { &doc, path, 0, CS_OK };
        *out = root ? convert(&c, root, 0) : NULL;
        if (!root) rc = cs_error(CS_EFORMAT, "%s: empty YAML document", path);
        else if (!*out) rc = c.rc ? c.rc : cs_error(CS_ENOMEM, "out of memory");
        yaml_document_delete(&doc);
    }
    yaml_parser_delete(&parser);
    fclose(fp);
    return rc;
}

#else

int cs_synth_yaml_load(const char *path, json_t **out)
{
    *out = NULL;
    return cs_error(CS_ENOTSUP, "%s: YAML scenarios need libyaml (Debian: libyaml-dev) at build "
                    "time; use JSON", path);
}

#endif
