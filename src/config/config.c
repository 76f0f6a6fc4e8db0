/* Station configuration (station.yaml). Strict: an unknown key is an error
 * with its position, so a typo never silently falls back to a default. */
#include "wushe/config.h"

#include <errno.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "wushe/catalog.h"
#include "wushe/validate.h"
#include "codes_internal.h"
#include "yaml_util.h"

enum { MAX_NAME_CHARS = 100 };

void config_free(station_config **cfg)
{
    if (!cfg || !*cfg)
        return;
    free((*cfg)->station_name);
    free((*cfg)->station_phone);
    free((*cfg)->division_code);
    free((*cfg)->language);
    free((*cfg)->operator_name);
    free((*cfg)->backup_dir);
    codebook_free(&(*cfg)->codes);
    free(*cfg);
    *cfg = NULL;
}

/* A name-like value (station name, operator): one line, not empty. */
static ws_status take_name(yu_doc *d, const yaml_node_t *n, const char *what, char **out,
                           char *err, size_t errsz)
{
    const char *s;
    ws_status st = yu_string(d, n, &s, err, errsz);
    if (st != WS_OK)
        return st;
    char msg[512];
    switch (val_name(s, MAX_NAME_CHARS)) {
    case VAL_OK:
        break;
    case VAL_CONTROL:
        return yu_error(d, n, err, errsz, "%s", trf(msg, sizeof msg, "config.control", what));
    case VAL_TOO_LONG:
        return yu_error(d, n, err, errsz, "%s",
                        trf(msg, sizeof msg, "config.too_long", what, MAX_NAME_CHARS));
    default:
        return yu_error(d, n, err, errsz, "%s", trf(msg, sizeof msg, "config.empty", what));
    }
    free(*out);
    *out = strdup(s);
    return *out ? WS_OK : WS_ERR_NOMEM;
}

static ws_status parse_station(yu_doc *d, const yaml_node_t *map, station_config *cfg, char *err,
                               size_t errsz)
{
    char msg[512];
    if (yu_is_null(map))
        return WS_OK;
    if (!yu_is_map(map))
        return yu_error(d, map, err, errsz, "%s", trf(msg, sizeof msg, "config.not_map", "station"));
    ws_status st = yu_check_keys(d, map, err, errsz);
    for (size_t i = 0; i < yu_len(map) && st == WS_OK; i++) {
        yaml_node_t *kn = yu_map_key(d, map, i), *vn = yu_map_value(d, map, i);
        const char *k = (const char *)kn->data.scalar.value;
        if (yu_is_null(vn))
            continue;
        if (!strcmp(k, "name")) {
            st = take_name(d, vn, tr("config.what_station_name"), &cfg->station_name, err, errsz);
        } else if (!strcmp(k, "division_code")) {
            const char *s;
            if ((st = yu_string(d, vn, &s, err, errsz)) != WS_OK)
                break;
            bool ok = strlen(s) == 12;
            for (const char *p = s; ok && *p; p++)
                ok = *p >= '0' && *p <= '9';
            if (!ok)
                return yu_error(d, vn, err, errsz, "%s", tr("config.division_code"));
            free(cfg->division_code);
            if (!(cfg->division_code = strdup(s)))
                return WS_ERR_NOMEM;
        } else if (!strcmp(k, "phone")) {
            /* A landline or a mobile as printed: digits, a dash, a space,
             * brackets (0817-2345678, (0817) 2345678). */
            const char *s;
            if ((st = yu_string(d, vn, &s, err, errsz)) != WS_OK)
                break;
            size_t digits = 0;
            bool ok = strlen(s) <= 24;
            for (const char *p = s; ok && *p; p++) {
                digits += *p >= '0' && *p <= '9';
                ok = (*p >= '0' && *p <= '9') || *p == '-' || *p == ' ' || *p == '(' || *p == ')';
            }
            if (!ok || digits < 7)
                return yu_error(d, vn, err, errsz, "%s", tr("config.station_phone"));
            free(cfg->station_phone);
            if (!(cfg->station_phone = strdup(s)))
                return WS_ERR_NOMEM;
        } else {
            char key[160];
            snprintf(key, sizeof key, "station.%s", k);
            return yu_error(d, kn, err, errsz, "%s",
                            trf(msg, sizeof msg, "config.unknown_key", key,
                                "name, division_code, phone"));
        }
    }
    return st;
}

/* names: {allow_latin: true}: how residents' names are checked. */
static ws_status parse_names(yu_doc *d, const yaml_node_t *map, station_config *cfg, char *err,
                             size_t errsz)
{
    char msg[512];
    if (yu_is_null(map))
        return WS_OK;
    if (!yu_is_map(map))
        return yu_error(d, map, err, errsz, "%s", trf(msg, sizeof msg, "config.not_map", "names"));
    ws_status st = yu_check_keys(d, map, err, errsz);
    for (size_t i = 0; i < yu_len(map) && st == WS_OK; i++) {
        yaml_node_t *kn = yu_map_key(d, map, i), *vn = yu_map_value(d, map, i);
        const char *k = (const char *)kn->data.scalar.value;
        if (strcmp(k, "allow_latin") != 0) {
            char key[160];
            snprintf(key, sizeof key, "names.%s", k);
            return yu_error(d, kn, err, errsz, "%s",
                            trf(msg, sizeof msg, "config.unknown_key", key, "allow_latin"));
        }
        if (yu_is_null(vn))
            continue;
        /* YAML 1.1 booleans as people write them. */
        static const char *const yes[] = {"true", "yes", "on"}, *const no[] = {"false", "no", "off"};
        const char *v = yu_is_scalar(vn) ? (const char *)vn->data.scalar.value : "";
        int b = -1;
        for (size_t j = 0; j < 3 && b < 0; j++)
            b = !strcasecmp(v, yes[j]) ? 1 : !strcasecmp(v, no[j]) ? 0 : -1;
        if (b < 0)
            return yu_error(d, vn, err, errsz, "%s",
                            trf(msg, sizeof msg, "config.bool", "names.allow_latin"));
        cfg->names_allow_latin = b;
    }
    return st;
}

/* visit_days: a map of vulnerable group codes to days between visits. */
static ws_status parse_visit_days(yu_doc *d, const yaml_node_t *n, station_config *cfg,
                                  char *err, size_t errsz)
{
    if (!yu_is_map(n))
        return yu_error(d, n, err, errsz, "%s", tr("config.visit_days"));
    for (size_t i = 0; i < yu_len(n); i++) {
        yaml_node_t *kn = yu_map_key(d, n, i), *vn = yu_map_value(d, n, i);
        const char *group = yu_is_scalar(kn) ? (const char *)kn->data.scalar.value : "";
        if (!*group || strlen(group) >= sizeof cfg->visit_days[0].group ||
            cfg->nvisit_days >= sizeof cfg->visit_days / sizeof cfg->visit_days[0])
            return yu_error(d, kn, err, errsz, "%s", tr("config.visit_days"));
        struct config_days *vd = &cfg->visit_days[cfg->nvisit_days];
        ws_status st = codes_parse_days(d, vn, &vd->days, err, errsz);
        if (st != WS_OK)
            return st;
        snprintf(vd->group, sizeof vd->group, "%s", group);
        cfg->nvisit_days++;
    }
    return WS_OK;
}

/* lock_minutes: more than 0, at most a day; decimals for short tests. */
static ws_status parse_lock(yu_doc *d, const yaml_node_t *n, station_config *cfg, char *err,
                            size_t errsz)
{
    char msg[512];
    const char *v = yu_is_scalar(n) ? (const char *)n->data.scalar.value : "";
    char *end = NULL;
    errno = 0;
    double m = strtod(v, &end);
    bool ok = *v && end && *end == '\0' && errno == 0 && m > 0 && m <= CONFIG_LOCK_MINUTES_MAX;
    for (const char *p = v; ok && *p; p++)
        ok = (*p >= '0' && *p <= '9') || *p == '.'; /* no hex, exponents or signs */
    if (!ok)
        return yu_error(d, n, err, errsz, "%s",
                        trf(msg, sizeof msg, "config.lock_minutes", CONFIG_LOCK_MINUTES_MAX));
    int secs = (int)(m * 60 + 0.5);
    cfg->lock_seconds = secs < 1 ? 1 : secs;
    return WS_OK;
}

/* A whole number in [lo, hi] (no sign, no decimals); -1 when not. */
static long config_whole(const yaml_node_t *n, long lo, long hi)
{
    const char *v = yu_is_scalar(n) ? (const char *)n->data.scalar.value : "";
    long x = 0;
    if (!*v || strlen(v) > 9)
        return -1;
    for (const char *p = v; *p; p++) {
        if (*p < '0' || *p > '9')
            return -1;
        x = x * 10 + (*p - '0');
    }
    return x >= lo && x <= hi ? x : -1;
}

/* volunteers: stars (five rising thresholds in hours), points_per_hour,
 * points_by_type. */
static ws_status parse_volunteers(yu_doc *d, const yaml_node_t *map, station_config *cfg,
                                  char *err, size_t errsz)
{
    char msg[512];
    if (yu_is_null(map))
        return WS_OK;
    if (!yu_is_map(map))
        return yu_error(d, map, err, errsz, "%s",
                        trf(msg, sizeof msg, "config.not_map", "volunteers"));
    ws_status st = yu_check_keys(d, map, err, errsz);
    for (size_t i = 0; i < yu_len(map) && st == WS_OK; i++) {
        yaml_node_t *kn = yu_map_key(d, map, i), *vn = yu_map_value(d, map, i);
        const char *k = (const char *)kn->data.scalar.value;
        if (!strcmp(k, "points_per_hour")) {
            long v = config_whole(vn, 0, 10000);
            if (v < 0)
                return yu_error(d, vn, err, errsz, "%s", tr("config.points_per_hour"));
            cfg->points_per_hour = (int)v;
        } else if (!strcmp(k, "points_by_type")) {
            if (!yu_is_map(vn))
                return yu_error(d, vn, err, errsz, "%s", tr("config.points_by_type"));
            for (size_t j = 0; j < yu_len(vn); j++) {
                yaml_node_t *tk = yu_map_key(d, vn, j), *tv = yu_map_value(d, vn, j);
                const char *type = yu_is_scalar(tk) ? (const char *)tk->data.scalar.value : "";
                struct config_rate *r = &cfg->points_by_type[cfg->npoints_by_type];
                long v = config_whole(tv, 0, 10000);
                if (!*type || strlen(type) >= sizeof r->type ||
                    cfg->npoints_by_type >= sizeof cfg->points_by_type / sizeof *r)
                    return yu_error(d, tk, err, errsz, "%s", tr("config.points_by_type"));
                if (v < 0)
                    return yu_error(d, tv, err, errsz, "%s", tr("config.points_per_hour"));
                snprintf(r->type, sizeof r->type, "%s", type);
                r->points = (int)v;
                cfg->npoints_by_type++;
            }
        } else if (!strcmp(k, "stars")) {
            if (!yu_is_seq(vn) || yu_len(vn) != CONFIG_STARS)
                return yu_error(d, vn, err, errsz, "%s",
                                trf(msg, sizeof msg, "config.stars", CONFIG_STAR_HOURS_MAX));
            for (size_t j = 0; j < CONFIG_STARS; j++) {
                yaml_node_t *it = yu_seq_item(d, vn, j);
                long v = config_whole(it, 1, CONFIG_STAR_HOURS_MAX);
                if (v < 0 || (j > 0 && v <= cfg->star_hours[j - 1]))
                    return yu_error(d, it, err, errsz, "%s",
                                    trf(msg, sizeof msg, "config.stars", CONFIG_STAR_HOURS_MAX));
                cfg->star_hours[j] = (int)v;
            }
        } else {
            char key[160];
            snprintf(key, sizeof key, "volunteers.%s", k);
            return yu_error(d, kn, err, errsz, "%s",
                            trf(msg, sizeof msg, "config.unknown_key", key,
                                "stars, points_per_hour, points_by_type"));
        }
    }
    return st;
}

/* organisations: urban and rural, the targets of social organisations per
 * community and per village (民发〔2017〕191号: 10 and 5). */
static ws_status parse_organisations(yu_doc *d, const yaml_node_t *map, station_config *cfg,
                                     char *err, size_t errsz)
{
    char msg[512];
    if (yu_is_null(map))
        return WS_OK;
    if (!yu_is_map(map))
        return yu_error(d, map, err, errsz, "%s",
                        trf(msg, sizeof msg, "config.not_map", "organisations"));
    ws_status st = yu_check_keys(d, map, err, errsz);
    for (size_t i = 0; i < yu_len(map) && st == WS_OK; i++) {
        yaml_node_t *kn = yu_map_key(d, map, i), *vn = yu_map_value(d, map, i);
        const char *k = (const char *)kn->data.scalar.value;
        bool urban = !strcmp(k, "urban");
        if (!urban && strcmp(k, "rural") != 0) {
            char key[160];
            snprintf(key, sizeof key, "organisations.%s", k);
            return yu_error(d, kn, err, errsz, "%s",
                            trf(msg, sizeof msg, "config.unknown_key", key, "urban, rural"));
        }
        long v = config_whole(vn, 1, 1000);
        if (v < 0)
            return yu_error(d, vn, err, errsz, "%s", tr("config.org_target"));
        *(urban ? &cfg->org_target_urban : &cfg->org_target_rural) = (int)v;
    }
    return st;
}

/* backup_dir: a folder named from the root or from the home folder
 * (~/...), wherever the console was started. */
static ws_status parse_backup_dir(yu_doc *d, const yaml_node_t *n, station_config *cfg,
                                  char *err, size_t errsz)
{
    const char *s;
    ws_status st = yu_string(d, n, &s, err, errsz);
    if (st != WS_OK)
        return st;
    bool home = s[0] == '~' && (s[1] == '/' || s[1] == '\0');
    bool clean = strlen(s) < 1024;
    for (const unsigned char *p = (const unsigned char *)s; clean && *p; p++)
        clean = *p >= 0x20 && *p != 0x7f;
    if ((s[0] != '/' && !home) || !clean)
        return yu_error(d, n, err, errsz, "%s", tr("config.backup_dir"));
    const char *h = getenv("HOME");
    size_t len = (home ? strlen(h ? h : "") : 0) + strlen(s) + 1;
    char *v = malloc(len);
    if (!v)
        return WS_ERR_NOMEM;
    snprintf(v, len, "%s%s", home ? (h ? h : "") : "", home ? s + 1 : s);
    free(cfg->backup_dir);
    cfg->backup_dir = v;
    return WS_OK;
}

/* The config may only extend lists that exist, so a misspelt list name is
 * reported instead of creating a list nothing reads. */
static ws_status parse_codes(yu_doc *d, const yaml_node_t *n, station_config *cfg, char *err,
                             size_t errsz)
{
    char msg[512];
    if (yu_is_null(n))
        return WS_OK;
    codebook *def;
    ws_status st = codebook_load_default(&def, err, errsz);
    if (st != WS_OK)
        return st;
    if (yu_is_map(n)) {
        for (size_t i = 0; i < yu_len(n) && st == WS_OK; i++) {
            yaml_node_t *kn = yu_map_key(d, n, i);
            if (yu_is_scalar(kn) && !codebook_list(def, (const char *)kn->data.scalar.value))
                st = yu_error(d, kn, err, errsz, "%s",
                              trf(msg, sizeof msg, "config.unknown_list",
                                  (const char *)kn->data.scalar.value));
        }
    }
    codebook_free(&def);
    if (st != WS_OK)
        return st;
    codebook_free(&cfg->codes);
    return codebook_from_node(d, n, &cfg->codes, err, errsz);
}

static ws_status parse_root(yu_doc *d, const yaml_node_t *root, station_config *cfg, char *err,
                            size_t errsz)
{
    char msg[512];
    if (!root || yu_is_null(root))
        return WS_OK;
    if (!yu_is_map(root))
        return yu_error(d, root, err, errsz, "%s", trf(msg, sizeof msg, "config.not_map", "station.yaml"));
    ws_status st = yu_check_keys(d, root, err, errsz);
    for (size_t i = 0; i < yu_len(root) && st == WS_OK; i++) {
        yaml_node_t *kn = yu_map_key(d, root, i), *vn = yu_map_value(d, root, i);
        const char *k = (const char *)kn->data.scalar.value;
        if (!strcmp(k, "station")) {
            st = parse_station(d, vn, cfg, err, errsz);
        } else if (!strcmp(k, "language")) {
            const char *s;
            if (yu_is_null(vn))
                continue;
            if ((st = yu_string(d, vn, &s, err, errsz)) != WS_OK)
                break;
            const char *canon = i18n_normalize(s);
            if (!canon)
                return yu_error(d, vn, err, errsz, "%s",
                                trf(msg, sizeof msg, "config.unknown_language", s));
            free(cfg->language);
            if (!(cfg->language = strdup(canon)))
                return WS_ERR_NOMEM;
        } else if (!strcmp(k, "operator")) {
            if (!yu_is_null(vn))
                st = take_name(d, vn, tr("config.what_operator"), &cfg->operator_name, err, errsz);
        } else if (!strcmp(k, "names")) {
            st = parse_names(d, vn, cfg, err, errsz);
        } else if (!strcmp(k, "codes")) {
            st = parse_codes(d, vn, cfg, err, errsz);
        } else if (!strcmp(k, "lock_minutes")) {
            if (!yu_is_null(vn))
                st = parse_lock(d, vn, cfg, err, errsz);
        } else if (!strcmp(k, "backup_dir")) {
            if (!yu_is_null(vn))
                st = parse_backup_dir(d, vn, cfg, err, errsz);
        } else if (!strcmp(k, "visit_days")) {
            if (!yu_is_null(vn))
                st = parse_visit_days(d, vn, cfg, err, errsz);
        } else if (!strcmp(k, "followup_days")) {
            if (!yu_is_null(vn))
                st = codes_parse_days(d, vn, &cfg->followup_days, err, errsz);
        } else if (!strcmp(k, "volunteers")) {
            st = parse_volunteers(d, vn, cfg, err, errsz);
        } else if (!strcmp(k, "organisations")) {
            st = parse_organisations(d, vn, cfg, err, errsz);
        } else {
            return yu_error(d, kn, err, errsz, "%s",
                            trf(msg, sizeof msg, "config.unknown_key", k,
                                "station, language, operator, names, codes, lock_minutes, backup_dir, "
                                "visit_days, followup_days, volunteers, organisations"));
        }
    }
    return st;
}

ws_status config_parse(const char *name, const char *yaml, size_t len, station_config **out,
                       char *err, size_t errsz)
{
    *out = NULL;
    if (err && errsz)
        err[0] = '\0';
    station_config *cfg = calloc(1, sizeof *cfg);
    if (!cfg)
        return WS_ERR_NOMEM;
    yu_doc d;
    ws_status st = yu_load(&d, name, yaml, len, tr_or_null("config.syntax"), err, errsz);
    if (st == WS_OK)
        st = parse_root(&d, yu_root(&d), cfg, err, errsz);
    yu_free(&d);
    if (st != WS_OK)
        config_free(&cfg);
    *out = cfg;
    return st;
}

ws_status config_load(const char *path, station_config **out, char *err, size_t errsz)
{
    *out = NULL;
    if (err && errsz)
        err[0] = '\0';
    char *def = NULL;
    if (!path) {
        if (!(def = config_default_path())) {
            /* No home directory at all: nothing to load. */
            *out = calloc(1, sizeof **out);
            return *out ? WS_OK : WS_ERR_NOMEM;
        }
        path = def;
    }
    char *data;
    size_t len;
    int errnum;
    ws_status st = yu_read_file(path, &data, &len, &errnum, err, errsz);
    if (st == WS_OK) {
        st = config_parse(path, data, len, out, err, errsz);
        free(data);
    } else if (errnum == ENOENT) {
        if (err && errsz)
            err[0] = '\0';
        *out = calloc(1, sizeof **out);
        st = *out ? WS_OK : WS_ERR_NOMEM;
    }
    free(def);
    return st;
}

char *config_default_path(void)
{
    char *p = NULL;
    const char *xdg = getenv("XDG_CONFIG_HOME");
    /* The XDG spec says relative values are to be ignored. */
    if (xdg && xdg[0] == '/') {
        if (asprintf(&p, "%s/wushe/station.yaml", xdg) < 0)
            return NULL;
        return p;
    }
    const char *home = getenv("HOME");
    if (!home || !*home) {
        struct passwd pw, *res = NULL;
        char buf[4096];
        if (getpwuid_r(getuid(), &pw, buf, sizeof buf, &res) != 0 || !res)
            return NULL;
        return asprintf(&p, "%s/.config/wushe/station.yaml", pw.pw_dir) < 0 ? NULL : p;
    }
    return asprintf(&p, "%s/.config/wushe/station.yaml", home) < 0 ? NULL : p;
}
