/* Records as text and text into records: what lists, ledgers and forms
 * show of a field, what a clerk's typing means, and errors in words. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "record_internal.h"
#include "wushe/catalog.h"
#include "wushe/codes.h"
#include "wushe/text.h"

/* Codes "a,b" as their labels "甲 乙" (brief) or "甲、乙". */
static void codes_labels(station *st, const char *list, const char *codes, char *out,
                         size_t outsz)
{
    char buf[512];
    size_t used = 0;
    out[0] = '\0';
    snprintf(buf, sizeof buf, "%s", codes);
    char *save = NULL;
    for (char *t = strtok_r(buf, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
        const code_item *it = codebook_find(station_codes(st), list, t);
        int n = snprintf(out + used, outsz - used, "%s%s", used ? " " : "",
                         it ? code_label(it, 1) : t);
        if (n < 0 || (size_t)n >= outsz - used)
            break;
        used += (size_t)n;
    }
}

/* Any other masked identifier: its first three and last two characters. */
static void mask_generic(const char *v, char *out, size_t outsz)
{
    size_t n = strlen(v);
    if (n <= 5) {
        snprintf(out, outsz, "%s", n ? "*****" : "");
        return;
    }
    char stars[64];
    size_t k = n - 5 < sizeof stars - 1 ? n - 5 : sizeof stars - 1;
    memset(stars, '*', k);
    stars[k] = '\0';
    snprintf(out, outsz, "%.3s%s%s", v, stars, v + n - 2);
}

void hours_text(int64_t minutes, char *out, size_t outsz)
{
    uint64_t a = minutes < 0 ? (uint64_t)0 - (uint64_t)minutes : (uint64_t)minutes;
    size_t used = 0;
    if (minutes < 0 && outsz > 1) {
        out[0] = '-';
        used = 1;
    }
    /* 2小时, 40分, 2小时05分: as a clerk says them (0 is 0小时). */
    if (a % 60 == 0)
        trf(out + used, outsz - used, "record.minutes_whole", (long long)(a / 60));
    else if (a < 60)
        trf(out + used, outsz - used, "record.minutes_part", (long long)a);
    else
        trf(out + used, outsz - used, "record.minutes", (long long)(a / 60), (long long)(a % 60));
}

void record_format(station *st, const record_kind *k, int field, const void *rec, bool masked,
                   char *out, size_t outsz)
{
    const field_def *f = &k->fields[field];
    out[0] = '\0';
    if (field_is_int(f)) {
        int64_t v = field_int(f, rec);
        if (f->type == FLD_REF)
            record_title(st, field_ref(f), v, out, outsz);
        else if (f->type == FLD_MONEY)
            snprintf(out, outsz, "%s%lld.%02lld", v < 0 ? "-" : "",
                     (long long)(v < 0 ? -v : v) / 100, (long long)(v < 0 ? -v : v) % 100);
        else if (f->type == FLD_MINUTES)
            hours_text(v, out, outsz);
        else
            snprintf(out, outsz, "%lld", (long long)v);
        return;
    }
    const char *v = field_str(f, (void *)rec);
    if (f->type == FLD_CODE) {
        const code_item *it = *v ? codebook_find(station_codes(st), f->codes, v) : NULL;
        snprintf(out, outsz, "%s", it ? code_label(it, 0) : v);
    } else if (f->type == FLD_CODES) {
        codes_labels(st, f->codes, v, out, outsz);
    } else if (masked && (f->flags & FF_MASKED)) {
        if (f->type == FLD_ID_NUMBER)
            mask_id_number(v, out, outsz);
        else if (f->type == FLD_PHONE)
            mask_phone(v, out, outsz);
        else
            mask_generic(v, out, outsz);
    } else {
        snprintf(out, outsz, "%s", v);
    }
}

/* "12.5" or "12" yuan as fen. */
static val_status parse_money(const char *t, int64_t *out)
{
    int64_t yuan = 0, fen = 0;
    int digits = 0, decimals = -1;
    bool neg = *t == '-';
    for (const char *p = t + neg; *p; p++) {
        if (*p == '.' && decimals < 0) {
            decimals = 0;
        } else if (*p >= '0' && *p <= '9' && decimals < 2) {
            if (decimals < 0) {
                if (++digits > 12)
                    return VAL_TOO_LONG;
                yuan = yuan * 10 + (*p - '0');
            } else {
                fen = fen * 10 + (*p - '0');
                decimals++;
            }
        } else {
            return VAL_NUMBER;
        }
    }
    if (digits == 0 && decimals <= 0)
        return VAL_NUMBER;
    if (decimals == 1)
        fen *= 10;
    *out = (yuan * 100 + fen) * (neg ? -1 : 1);
    return VAL_OK;
}

/* Minutes as "90" or hours and minutes "1:30". */
static val_status parse_minutes(const char *t, int64_t *out)
{
    long long h = 0, m = 0;
    char tail;
    if (sscanf(t, "%lld:%lld%c", &h, &m, &tail) == 2 && h >= 0 && m >= 0 && m < 60) {
        *out = h * 60 + m;
        return VAL_OK;
    }
    /* As a list or a form shows them (hours_text: "2小时05分", "2小时",
     * "40分"; "2h 05min", "2h", "40min"). */
    int n = 0;
    if ((sscanf(t, "%lld小时%lld分%n", &h, &m, &n) == 2 ||
         sscanf(t, "%lldh %lldmin%n", &h, &m, &n) == 2) &&
        t[n] == '\0' && h >= 0 && m >= 0 && m < 60) {
        *out = h * 60 + m;
        return VAL_OK;
    }
    n = 0;
    if ((sscanf(t, "%lld小时%n", &h, &n) == 1 || sscanf(t, "%lldh%n", &h, &n) == 1) &&
        n > 0 && t[n] == '\0' && h >= 0) {
        *out = h * 60;
        return VAL_OK;
    }
    n = 0;
    if ((sscanf(t, "%lld分%n", &m, &n) == 1 || sscanf(t, "%lldmin%n", &m, &n) == 1) &&
        n > 0 && t[n] == '\0' && m >= 0) {
        *out = m;
        return VAL_OK;
    }
    if (sscanf(t, "%lld%c", &m, &tail) == 1 && m >= 0) {
        *out = m;
        return VAL_OK;
    }
    return VAL_NUMBER;
}

/* Whether a typed word names code item it: its code or any of its labels. */
static bool code_named(const code_item *it, const char *word, size_t n)
{
    const char *names[] = {it->code, it->zh_CN, it->en, it->short_zh_CN, it->short_en};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (names[i] && strlen(names[i]) == n && memcmp(names[i], word, n) == 0)
            return true;
    return false;
}

/* A set of codes as a clerk types or a list shows it ("登记 服务",
 * "登记、服务", "register,services") as "register,services"; a word that
 * names none is kept, for the validation to name. */
static val_status parse_codes(station *st, const field_def *f, const char *text, char *out,
                              size_t outsz)
{
    static const char *const seps[] = {",", " ", "\t", "\xef\xbc\x8c" /* ， */,
                                       "\xe3\x80\x81" /* 、 */, ";", "\xef\xbc\x9b" /* ； */,
                                       "\xe3\x80\x80" /* ideographic space */};
    const code_list *cl = codebook_list(station_codes(st), f->codes);
    size_t used = 0;
    out[0] = '\0';
    const char *p = text;
    while (*p) {
        size_t sep = 0;
        for (size_t i = 0; !sep && i < sizeof seps / sizeof seps[0]; i++)
            if (strncmp(p, seps[i], strlen(seps[i])) == 0)
                sep = strlen(seps[i]);
        if (sep) {
            p += sep;
            continue;
        }
        /* The word runs to the next separator. */
        const char *e = p;
        while (*e) {
            size_t at = 0;
            for (size_t i = 0; !at && i < sizeof seps / sizeof seps[0]; i++)
                if (strncmp(e, seps[i], strlen(seps[i])) == 0)
                    at = 1;
            if (at)
                break;
            e++;
        }
        const char *word = p;
        size_t n = (size_t)(e - p);
        for (size_t i = 0; cl && i < cl->n; i++)
            if (code_named(&cl->items[i], p, n)) {
                word = cl->items[i].code;
                n = strlen(word);
                break;
            }
        if (used + n + 2 > outsz)
            return VAL_TOO_LONG;
        if (used)
            out[used++] = ',';
        memcpy(out + used, word, n);
        used += n;
        out[used] = '\0';
        p = e;
    }
    return VAL_OK;
}

static val_status record_parse_folded(station *st, const field_def *f, const char *text,
                                      void *rec);

val_status record_parse(station *st, const record_kind *k, int field, const char *text,
                        void *rec)
{
    const field_def *f = &k->fields[field];
    /* Typed with a Chinese input method in full-width mode (２０２６,
     * １２．５０, ８：３０): numbers, times and codes of digits are read
     * as their half-width selves. */
    char *folded = NULL;
    if (f->type == FLD_MONEY || f->type == FLD_MINUTES || f->type == FLD_INT ||
        f->type == FLD_TIME || f->type == FLD_DIGITS) {
        folded = text_fold(text);
        if (folded)
            text = folded;
    }
    /* Stored as a save stores it (2026/11/5 is 2026-11-05, 138-1234-0006
     * is 13812340006, trimmed): what an import matches and compares, and
     * one form of each value whoever typed it. A form's text keeps what
     * was typed; only the record gets the stored form. */
    char *normal = NULL;
    if (!field_is_int(f)) {
        size_t n = strlen(text) + 16;
        normal = malloc(n);
        if (normal) {
            record_normal_text(st, k, field, text, normal, n);
            text = normal;
        }
    }
    val_status vs = record_parse_folded(st, f, text, rec);
    free(normal);
    free(folded);
    if (vs == VAL_OK && k->hooks.normalize)
        k->hooks.normalize(field, rec);
    return vs;
}

static val_status record_parse_folded(station *st, const field_def *f, const char *text,
                                      void *rec)
{
    int64_t v = 0;
    val_status vs = VAL_OK;
    switch (f->type) {
    case FLD_MONEY:
        if (*text)
            vs = parse_money(text, &v);
        break;
    case FLD_MINUTES:
        if (*text)
            vs = parse_minutes(text, &v);
        break;
    case FLD_INT: {
        char tail;
        long long n = 0;
        if (*text && sscanf(text, "%lld%c", &n, &tail) != 1)
            vs = VAL_NUMBER;
        v = n;
        break;
    }
    case FLD_REF:
        return VAL_OK; /* chosen by a picker, never typed */
    case FLD_CODES:
        return parse_codes(st, f, text, field_str(f, rec), f->size);
    case FLD_CODE: {
        const code_list *cl = codebook_list(station_codes(st), f->codes);
        for (size_t i = 0; cl && *text && i < cl->n; i++)
            if (strcmp(code_label(&cl->items[i], 0), text) == 0 ||
                strcmp(code_label(&cl->items[i], 1), text) == 0) {
                text = cl->items[i].code;
                break;
            }
    } /* fall through */
    default:
        if (strlen(text) >= f->size)
            return VAL_TOO_LONG;
        snprintf(field_str(f, rec), f->size, "%s", text);
        return VAL_OK;
    }
    if (vs == VAL_OK)
        field_set_int(f, rec, v);
    return vs;
}

const char *record_error_reason(const record_error *re, char *out, size_t outsz)
{
    if (re->code == VAL_TOO_LONG && re->detail[0])
        trf(out, outsz, "record.too_long", re->detail);
    else if (val_status_names(re->code) || re->code == VAL_DIGITS || re->code == VAL_DUPLICATE ||
             re->code == VAL_IN_USE)
        trf(out, outsz, val_status_key(re->code), re->detail);
    else
        snprintf(out, outsz, "%s", tr(val_status_key(re->code)));
    return out;
}

const char *record_error_text(const record_kind *k, const record_error *re, char *out,
                              size_t outsz)
{
    char why[256];
    record_error_reason(re, why, sizeof why);
    if (re->field >= 0 && (size_t)re->field < k->nfields)
        trf(out, outsz, "record.field_error", tr(k->fields[re->field].label), why);
    else
        snprintf(out, outsz, "%s", why);
    return out;
}
