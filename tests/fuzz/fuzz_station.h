/* A station for the fuzz targets that need one: made once in a temporary
 * folder, with a few communities, households and residents, removed at
 * exit. Header-only so each target stays one file. */
#ifndef WUSHE_FUZZ_STATION_H
#define WUSHE_FUZZ_STATION_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wushe/catalog.h"
#include "wushe/community.h"
#include "wushe/household.h"
#include "wushe/resident.h"
#include "wushe/station.h"
#include "wushe/text.h"

static station *g_fuzz_st;
static char g_fuzz_dir[256];

static void fuzz_station_cleanup(void)
{
    station_close(&g_fuzz_st);
    char cmd[320];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", g_fuzz_dir);
    if (g_fuzz_dir[0] && system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", g_fuzz_dir);
    text_shutdown();
    i18n_shutdown();
}

static void fuzz_resident(station *st, int64_t hh, int64_t comm, const char *name,
                          const char *body, const char *phone, const char *relation)
{
    resident r;
    resident_init(&r);
    snprintf(r.name, sizeof r.name, "%s", name);
    snprintf(r.id_number, sizeof r.id_number, "%.17s%c", body, val_id_check_char(body));
    snprintf(r.phone, sizeof r.phone, "%s", phone);
    snprintf(r.relation, sizeof r.relation, "%s", relation);
    r.household_id = hh;
    r.community_id = comm;
    field_error fe;
    if (resident_save(st, &r, &fe) != WS_OK) {
        fprintf(stderr, "fuzz station: resident %s refused\n", name);
        abort();
    }
}

/* The station, made on the first call. */
static station *fuzz_station(void)
{
    if (g_fuzz_st)
        return g_fuzz_st;
    setenv("WUSHE_TODAY", "2026-11-23", 0);
    char err[512];
    if (i18n_init("zh_CN", err, sizeof err) != WS_OK) {
        fprintf(stderr, "i18n: %s\n", err);
        abort();
    }
    const char *tmp = getenv("TMPDIR");
    snprintf(g_fuzz_dir, sizeof g_fuzz_dir, "%s/wushe-fuzz-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(g_fuzz_dir))
        abort();
    atexit(fuzz_station_cleanup);
    char path[320];
    snprintf(path, sizeof path, "%s/station.db", g_fuzz_dir);
    if (station_open(path, STATION_CREATE | STATION_TRUSTED, NULL, &g_fuzz_st, err,
                     sizeof err) != WS_OK) {
        fprintf(stderr, "fuzz station: %s\n", err);
        abort();
    }
    station *st = g_fuzz_st;
    station_set_actor(st, "fuzz");
    community c = {0};
    snprintf(c.name, sizeof c.name, "青石社区");
    snprintf(c.kind, sizeof c.kind, "community");
    record_error re;
    if (community_save(st, &c, &re) != WS_OK)
        abort();
    household h;
    household_init(&h);
    snprintf(h.number, sizeof h.number, "H0001");
    snprintf(h.address, sizeof h.address, "青石路1号");
    h.community_id = c.id;
    if (household_save(st, &h, &re) != WS_OK)
        abort();
    fuzz_resident(st, h.id, c.id, "张守田", "11010119500307123", "13912345678", "head");
    fuzz_resident(st, h.id, c.id, "单雄信", "11010119520411124", "13812345678", "spouse");
    fuzz_resident(st, 0, c.id, "曾秋菊", "11010120150102125", "", "");
    return st;
}

#endif
