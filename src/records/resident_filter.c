/* The residents' filter language (resident_filter.h): tokens a clerk types
 * that name a vulnerable group, a community, an age band or a household
 * become SQL conditions; the rest is the search text. */
#include "resident_filter.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "search.h"
#include "station_internal.h"
#include "wushe/catalog.h"
#include "wushe/codes.h"
#include "wushe/text.h"
#include "wushe/validate.h"

#define AGE_MAX 150

/* Length of the separator at s (0 when none): ASCII space, tab, line
 * breaks and comma, the full-width space, comma and the enumeration comma. */
static size_t filter_sep(const char *s)
{
    if (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n' || *s == ',')
        return 1;
    static const char *const wide[] = {"\xe3\x80\x80", "\xef\xbc\x8c", "\xe3\x80\x81"};
    for (size_t i = 0; i < sizeof wide / sizeof *wide; i++)
        if (strncmp(s, wide[i], 3) == 0)
            return 3;
    return 0;
}

static bool filter_take(const char **p, const char *word)
{
    size_t n = strlen(word);
    if (strncmp(*p, word, n) != 0)
        return false;
    *p += n;
    return true;
}

/* 1 to 3 ASCII digits, at most AGE_MAX. */
static bool filter_number(const char **p, int *v)
{
    int n = 0, val = 0;
    while ((*p)[n] >= '0' && (*p)[n] <= '9' && n < 4)
        val = val * 10 + ((*p)[n++] - '0');
    if (n == 0 || n > 3 || val > AGE_MAX)
        return false;
    *p += n;
    *v = val;
    return true;
}

static bool filter_years(const char **p)
{
    return filter_take(p, "周岁") || filter_take(p, "岁");
}

/* An age band, on folded text (half-width digits, 歲 as 岁): [*min, *below)
 * with -1 for an open end; part gets its canonical words. */
static bool filter_age(const char *t, int *min, int *below, char *part, size_t partsz)
{
    int a, b;
    *min = *below = -1;
    if (filter_take(&t, "不满")) {
        if (!filter_number(&t, &a) || !filter_years(&t) || *t)
            return false;
        *below = a;
        trf(part, partsz, "filter.age_below", a);
        return true;
    }
    if (!filter_number(&t, &a))
        return false;
    if (filter_take(&t, "-") || filter_take(&t, "~") || filter_take(&t, "至") ||
        filter_take(&t, "到") || filter_take(&t, "—")) {
        if (!filter_number(&t, &b) || !filter_years(&t) || *t || b < a)
            return false;
        *min = a;
        *below = b + 1;
        trf(part, partsz, "filter.age_range", a, b);
        return true;
    }
    if (!filter_years(&t))
        return false;
    if (filter_take(&t, "及以上") || filter_take(&t, "以上")) {
        *min = a;
        trf(part, partsz, "filter.age_min", a);
    } else if (filter_take(&t, "以下")) {
        *below = a;
        trf(part, partsz, "filter.age_below", a);
    } else if (!*t) {
        *min = a;
        *below = a + 1;
        trf(part, partsz, "filter.age_exact", a);
    } else {
        return false;
    }
    return !*t;
}

/* 30天未访, 30天未走访, 未访30天, 未走访30天: no visit in N days. */
static bool filter_not_visited(const char *t, int *days)
{
    int n;
    bool before = filter_take(&t, "未访") || filter_take(&t, "未走访");
    if (!filter_number(&t, &n) || n <= 0 || !filter_take(&t, "天"))
        return false;
    if (!before && !filter_take(&t, "未访") && !filter_take(&t, "未走访"))
        return false;
    *days = n;
    return !*t;
}

/* A group's Chinese name may be typed by its start (临时救助 for
 * 临时救助对象, 低保边缘 for 低保边缘家庭): three characters at least, so a
 * name's first two are never taken for a group. */
#define FILTER_GROUP_START 9 /* bytes: three CJK characters */

/* The vulnerable group a token names by one of its labels, or by the start
 * of exactly one group's Chinese name (NULL: none). */
static const code_item *filter_group(station *st, const char *raw, const char *folded)
{
    const code_list *cl = codebook_list(station_codes(st), "vulnerable_group");
    for (size_t i = 0; cl && i < cl->n; i++) {
        const code_item *it = &cl->items[i];
        const char *labels[] = {it->zh_CN, it->short_zh_CN, it->en, it->short_en};
        for (size_t k = 0; k < sizeof labels / sizeof *labels; k++)
            if (labels[k] && *labels[k] &&
                (strcmp(labels[k], folded) == 0 || strcasecmp(labels[k], raw) == 0))
                return it;
    }
    size_t n = strlen(folded);
    const code_item *start = NULL;
    for (size_t i = 0; cl && n >= FILTER_GROUP_START && i < cl->n; i++) {
        const char *zh = cl->items[i].zh_CN;
        if (!zh || strncmp(zh, folded, n) != 0)
            continue;
        if (start)
            return NULL; /* the start of two groups' names */
        start = &cl->items[i];
    }
    return start;
}

/* The id (and stored text) of the living row sql finds for text. */
static ws_status filter_lookup(db *d, const char *sql, const char *text, int64_t *id, char *name,
                               size_t namesz)
{
    *id = 0;
    sqlite3_stmt *q = db_prepare(d, sql);
    if (!q)
        return db_status(d);
    db_bind_text(q, 1, text);
    int rc = sqlite3_step(q);
    if (rc == SQLITE_ROW) {
        *id = sqlite3_column_int64(q, 0);
        db_column_copy(q, 1, name, namesz);
    }
    db_reset(q);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? WS_OK : db_status_from(rc);
}

static ws_status filter_community(db *d, const char *raw, const char *folded, int64_t *id,
                                  char *name, size_t namesz)
{
    static const char sql[] =
        "SELECT id, name FROM communities WHERE name = ?1 AND deleted_at IS NULL";
    ws_status s = filter_lookup(d, sql, raw, id, name, namesz);
    if (s == WS_OK && !*id && strcmp(raw, folded) != 0)
        s = filter_lookup(d, sql, folded, id, name, namesz);
    return s;
}

/* A household by its number as typed, else upper-cased (h00012). */
static ws_status filter_household(db *d, const char *number, int64_t *id, char *out,
                                  size_t outsz)
{
    static const char sql[] =
        "SELECT id, number FROM households WHERE number = ?1 AND deleted_at IS NULL";
    ws_status s = filter_lookup(d, sql, number, id, out, outsz);
    if (s != WS_OK || *id)
        return s;
    char *up = strdup(number);
    if (!up)
        return WS_ERR_NOMEM;
    bool changed = false;
    for (char *c = up; *c; c++)
        if (*c >= 'a' && *c <= 'z') {
            *c = (char)(*c - 'a' + 'A');
            changed = true;
        }
    if (changed)
        s = filter_lookup(d, sql, up, id, out, outsz);
    free(up);
    return s;
}

static bool filter_all_digits(const char *s)
{
    for (; *s; s++)
        if (*s < '0' || *s > '9')
            return false;
    return true;
}

static void filter_add_part(resident_filter *f, const char *part)
{
    for (size_t i = 0; i < f->nparts; i++)
        if (strcmp(f->parts[i], part) == 0)
            return;
    if (f->nparts < RESIDENT_FILTER_PARTS)
        snprintf(f->parts[f->nparts++], sizeof f->parts[0], "%s", part);
}

/* Both ids must agree: a second, different one matches nothing. */
static void filter_same(resident_filter *f, int64_t *have, int64_t id)
{
    if (*have && *have != id)
        f->none = true;
    *have = id;
}

/* One token: true when it was a condition (f updated), else it is text. */
static ws_status filter_token(station *st, resident_filter *f, const char *raw, bool *taken)
{
    *taken = false;
    char *folded = search_fold(raw); /* as text_fold, without opening ICU's converter */
    if (!folded)
        return WS_ERR_NOMEM;
    ws_status s = WS_OK;
    char part[160], name[128];
    int min, below;
    int64_t id = 0;
    const code_item *g = filter_group(st, raw, folded);
    if (g) {
        bool have = false;
        for (size_t i = 0; i < f->ngroups; i++)
            have = have || strcmp(f->groups[i], g->code) == 0;
        if (!have && f->ngroups < RESIDENT_FILTER_GROUPS)
            f->groups[f->ngroups++] = g->code;
        filter_add_part(f, code_label(g, 1));
        *taken = true;
    } else if (filter_not_visited(folded, &min)) {
        if (!f->not_visited || min < f->not_visited)
            f->not_visited = min;
        filter_add_part(f, trf(part, sizeof part, "filter.not_visited", min));
        *taken = true;
    } else if (filter_age(folded, &min, &below, part, sizeof part)) {
        if (min >= 0 && min > f->age_min)
            f->age_min = min;
        if (below >= 0 && (f->age_below < 0 || below < f->age_below))
            f->age_below = below;
        if (f->age_min >= 0 && f->age_below >= 0 && f->age_min >= f->age_below)
            f->none = true;
        filter_add_part(f, part);
        *taken = true;
    } else if ((s = filter_community(station_db(st), raw, folded, &id, name, sizeof name)) ==
                   WS_OK && id) {
        filter_same(f, &f->community_id, id);
        filter_add_part(f, name);
        *taken = true;
    } else if (s == WS_OK) {
        /* 户H00012 always means a household; H00012 alone when it is one. */
        const char *number = strncmp(raw, "户", strlen("户")) == 0 ? raw + strlen("户") : NULL;
        if (number ? *number != '\0' : !filter_all_digits(raw))
            s = filter_household(station_db(st), number ? number : raw, &id, name, sizeof name);
        if (s == WS_OK && id) {
            filter_same(f, &f->household_id, id);
            filter_add_part(f, trf(part, sizeof part, "filter.household", name));
            *taken = true;
        }
    }
    free(folded);
    return s;
}

ws_status resident_filter_parse(station *st, const char *text, resident_filter *out)
{
    memset(out, 0, sizeof *out);
    out->age_min = out->age_below = -1;
    if (!text)
        text = "";
    size_t len = strlen(text);
    char *tok = malloc(len + 1);
    out->text = malloc(len + 1);
    if (!tok || !out->text) {
        free(tok);
        resident_filter_clear(out);
        return WS_ERR_NOMEM;
    }
    out->text[0] = '\0';
    size_t used = 0;
    ws_status s = WS_OK;
    const char *p = text;
    while (s == WS_OK && *p) {
        size_t sep = filter_sep(p);
        if (sep) {
            p += sep;
            continue;
        }
        size_t n = 0;
        while (p[n] && !filter_sep(p + n))
            n++;
        memcpy(tok, p, n);
        tok[n] = '\0';
        p += n;
        bool taken = false;
        s = filter_token(st, out, tok, &taken);
        if (s == WS_OK && !taken) {
            if (used)
                out->text[used++] = ' ';
            memcpy(out->text + used, tok, n);
            used += n;
            out->text[used] = '\0';
        }
        if (taken)
            out->structured = true;
    }
    free(tok);
    /* Without a condition the search sees exactly what was typed. */
    if (s == WS_OK && !out->structured)
        memcpy(out->text, text, len + 1);
    if (s != WS_OK)
        resident_filter_clear(out);
    return s;
}

static bool filter_blank(const char *s)
{
    size_t n;
    for (; s && *s; s += n)
        if (!(n = filter_sep(s)))
            return false;
    return true;
}

ws_status resident_filter_describe(station *st, const char *filter, const char *sep, char *out,
                                   size_t outsz)
{
    out[0] = '\0';
    if (filter_blank(filter))
        return WS_OK;
    resident_filter f;
    ws_status s = resident_filter_parse(st, filter, &f);
    if (s != WS_OK)
        return s;
    size_t used = 0;
    char quoted[512];
    for (size_t i = 0; i <= f.nparts && used < outsz; i++) {
        const char *part = i < f.nparts ? f.parts[i] : NULL;
        if (!part && !filter_blank(f.text))
            part = trf(quoted, sizeof quoted, "filter.text", f.text);
        if (!part)
            break;
        int w = snprintf(out + used, outsz - used, "%s%s", used ? sep : "", part);
        if (w < 0 || (size_t)w >= outsz - used) {
            out[used] = '\0';
            break;
        }
        used += (size_t)w;
    }
    resident_filter_clear(&f);
    return WS_OK;
}

void resident_filter_clear(resident_filter *f)
{
    free(f->text);
    f->text = NULL;
}

/* The latest birth date of someone `age` years old on today: age >= N
 * exactly when birth_date <= it (date_age's count). */
static void filter_cutoff(const char *today, int age, char out[32])
{
    int y = atoi(today) - age;
    snprintf(out, 32, "%04d%.6s", y < 0 ? 0 : y, today + 4);
}

ws_status resident_filter_bind(const resident_filter *f, sqlite3_stmt *q, const char *today)
{
    char date[32];
    if (f->community_id)
        sqlite3_bind_int64(q, 10, f->community_id);
    if (f->household_id)
        sqlite3_bind_int64(q, 11, f->household_id);
    if (f->age_min >= 0) {
        filter_cutoff(today, f->age_min, date);
        sqlite3_bind_text(q, 12, date, -1, SQLITE_TRANSIENT);
    }
    if (f->age_below >= 0) {
        filter_cutoff(today, f->age_below, date);
        sqlite3_bind_text(q, 13, date, -1, SQLITE_TRANSIENT);
    }
    if (f->not_visited > 0) {
        char since[11];
        date_add_days(today, -f->not_visited, since);
        sqlite3_bind_text(q, 16, since, -1, SQLITE_TRANSIENT);
    }
    if (f->ngroups) {
        /* A JSON array of the codes (json_each in RESIDENT_FILTER_SQL). */
        size_t cap = 3;
        for (size_t i = 0; i < f->ngroups; i++)
            cap += 2 * strlen(f->groups[i]) + 3;
        char *json = malloc(cap);
        if (!json)
            return WS_ERR_NOMEM;
        size_t n = 0;
        json[n++] = '[';
        for (size_t i = 0; i < f->ngroups; i++) {
            if (i)
                json[n++] = ',';
            json[n++] = '"';
            for (const char *c = f->groups[i]; *c; c++) {
                if (*c == '"' || *c == '\\')
                    json[n++] = '\\';
                json[n++] = *c;
            }
            json[n++] = '"';
        }
        json[n++] = ']';
        sqlite3_bind_text(q, 14, json, (int)n, free);
    }
    return WS_OK;
}

void resident_filter_words_group(station *st, const char *code, char *out, size_t outsz)
{
    const code_item *it = codebook_find(station_codes(st), "vulnerable_group", code);
    const char *w = !it ? code : it->short_zh_CN && *it->short_zh_CN ? it->short_zh_CN : it->zh_CN;
    snprintf(out, outsz, "%s", w ? w : "");
}

void resident_filter_words_age(int min, int below, char *out, size_t outsz)
{
    if (min >= 0 && below >= 0)
        snprintf(out, outsz, "%d-%d岁", min, below - 1);
    else if (min >= 0)
        snprintf(out, outsz, "%d岁以上", min);
    else if (below >= 0)
        snprintf(out, outsz, "%d岁以下", below);
    else
        out[0] = '\0';
}
