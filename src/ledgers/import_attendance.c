/* A sign-in sheet keyed into Excel (wushe import attendance FILE): one row
 * a person at a session, named by the activity's title and the date, the
 * person by ID number or name, a volunteer's minutes. Each row marks the
 * person present on that session's roster through the kinds' write path
 * (a volunteer's minutes as given, else the session's length); a person
 * not on the register, a name several people have, or a session that does
 * not exist goes to the error file with the reason. One transaction; a
 * second run of the same sheet changes nothing. */
#include "wushe/import.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "import_internal.h"
#include "station_internal.h"
#include "wushe/access.h"
#include "wushe/catalog.h"
#include "wushe/validate.h"
#include "wushe/volunteer.h"

enum { AC_ACTIVITY, AC_DATE, AC_NAME, AC_ID, AC_MINUTES, AC_COUNT };

static const char *const att_headers[AC_COUNT] = {
    "活动|活动名称|activity", "日期|活动日期|服务日期|date", "姓名|name",
    "身份证号|公民身份号码|证件号码|id_number", "时长|服务时长|分钟|minutes",
};

typedef struct att_import {
    station *st;
    attendance_import_report *rep;
    int col[AC_COUNT]; /* -1: not in the ledger */
    char name_header[256];
    csv_buf errors;
    char delim;
} att_import;

static bool att_map_header(att_import *ai, const csv_row *row)
{
    for (int c = 0; c < AC_COUNT; c++)
        ai->col[c] = -1;
    for (size_t i = 0; i < row->n; i++) {
        char norm[256], buf[256], one[256];
        import_header_norm(row->fields[i], norm, sizeof norm);
        for (int c = 0; norm[0] && c < AC_COUNT; c++) {
            snprintf(buf, sizeof buf, "%s", att_headers[c]);
            char *save = NULL;
            for (char *a = strtok_r(buf, "|", &save); a; a = strtok_r(NULL, "|", &save)) {
                import_header_norm(a, one, sizeof one);
                if (ai->col[c] < 0 && strcmp(one, norm) == 0)
                    ai->col[c] = (int)i;
            }
        }
    }
    if (ai->col[AC_NAME] >= 0)
        snprintf(ai->name_header, sizeof ai->name_header, "%s", row->fields[ai->col[AC_NAME]]);
    return ai->col[AC_ACTIVITY] >= 0 && ai->col[AC_DATE] >= 0 &&
           (ai->col[AC_NAME] >= 0 || ai->col[AC_ID] >= 0);
}

static const char *att_cell(const att_import *ai, const csv_row *row, int c)
{
    int i = ai->col[c];
    if (i < 0 || (size_t)i >= row->n)
        return "";
    csv_join_lines(row->fields[i]); /* every column it reads is one line */
    return row->fields[i];
}

static void att_error(att_import *ai, const csv_row *row, const char *why)
{
    for (size_t i = 0; i < row->n; i++)
        csv_put_cell(&ai->errors, row->fields[i], ai->delim, i == 0,
                           ai->col[AC_ID] == (int)i);
    csv_put_field(&ai->errors, why, ai->delim, row->n == 0);
    csv_end_row(&ai->errors, "\r\n");
    ai->rep->invalid++;
}

/* Ids sql finds for ?1 = text (at most 2: one, or "several"). */
static ws_status att_ids(db *d, const char *sql, const char *text, int64_t ids[2], size_t *n)
{
    *n = 0;
    sqlite3_stmt *q = db_prepare(d, sql);
    if (!q)
        return db_status(d);
    db_bind_text(q, 1, text);
    int rc;
    while ((rc = sqlite3_step(q)) == SQLITE_ROW && *n < 2)
        ids[(*n)++] = sqlite3_column_int64(q, 0);
    db_reset(q);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? WS_OK : db_status_from(rc);
}

/* Who a row names: a volunteer first (their service is what is
 * recorded), else a resident. why is set when nobody or several. */
static ws_status att_person(att_import *ai, const char *idn, const char *name, bool *volunteer,
                            int64_t *id, char *why, size_t whysz)
{
    db *d = station_db(ai->st);
    int64_t ids[2];
    size_t n = 0;
    *id = 0;
    why[0] = '\0';
    ws_status s = WS_OK;
    if (*idn) {
        val_id v;
        char today[11];
        date_today(today);
        if (import_id_scientific(idn)) {
            trf(why, whysz, "record.field_error", tr("field.id_number"), tr("import.scientific"));
            return WS_OK;
        }
        if (val_id_number(idn, today, &v) != VAL_OK) {
            trf(why, whysz, "import.att_bad_id", idn);
            return WS_OK;
        }
        s = att_ids(d, "SELECT v.id FROM volunteers v LEFT JOIN residents r ON r.id = v.resident_id"
                       " WHERE v.deleted_at IS NULL AND (v.id_number = ?1 OR r.id_number = ?1)",
                    v.number, ids, &n);
        *volunteer = n > 0;
        if (s == WS_OK && !n)
            s = att_ids(d, "SELECT id FROM residents WHERE id_number = ?1 AND deleted_at IS NULL",
                        v.number, ids, &n);
        if (s == WS_OK && !n)
            trf(why, whysz, "import.att_not_registered", idn);
    } else {
        s = att_ids(d, "SELECT id FROM volunteers WHERE name = ?1 AND deleted_at IS NULL", name,
                    ids, &n);
        *volunteer = n > 0;
        if (s == WS_OK && !n)
            s = att_ids(d, "SELECT id FROM residents WHERE name = ?1 AND deleted_at IS NULL",
                        name, ids, &n);
        if (s == WS_OK && !n)
            trf(why, whysz, "import.att_not_registered", name);
        else if (s == WS_OK && n > 1)
            trf(why, whysz, "import.att_several", name);
    }
    if (s == WS_OK && n == 1)
        *id = ids[0];
    return s;
}

/* The session of an activity on a day (that day's first). */
static ws_status att_session(att_import *ai, const char *title, const char *date, int64_t *id)
{
    db *d = station_db(ai->st);
    sqlite3_stmt *q = db_prepare(d, "SELECT s.id FROM activity_sessions s JOIN activities a"
                                    " ON a.id = s.activity_id WHERE a.title = ?1"
                                    " AND s.session_date = ?2 AND s.deleted_at IS NULL"
                                    " AND a.deleted_at IS NULL ORDER BY s.start_time, s.id");
    if (!q)
        return db_status(d);
    db_bind_text(q, 1, title);
    db_bind_text(q, 2, date);
    int rc = sqlite3_step(q);
    *id = rc == SQLITE_ROW ? sqlite3_column_int64(q, 0) : 0;
    db_reset(q);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? WS_OK : db_status_from(rc);
}

/* The person's line on the roster, present (a volunteer's minutes as
 * given): added, updated or as it was. */
static ws_status att_mark(att_import *ai, int64_t sid, bool volunteer, int64_t pid,
                          int64_t minutes, record_error *re)
{
    const record_kind *k = volunteer ? &kind_service : &kind_attendance;
    int64_t line = 0;
    db *d = station_db(ai->st);
    sqlite3_stmt *q = db_prepare(d, volunteer
        ? "SELECT id FROM session_volunteers WHERE session_id = ?1 AND volunteer_id = ?2"
          " AND deleted_at IS NULL"
        : "SELECT id FROM session_attendance WHERE session_id = ?1 AND resident_id = ?2"
          " AND deleted_at IS NULL");
    if (!q)
        return db_status(d);
    sqlite3_bind_int64(q, 1, sid);
    sqlite3_bind_int64(q, 2, pid);
    int rc = sqlite3_step(q);
    if (rc == SQLITE_ROW)
        line = sqlite3_column_int64(q, 0);
    db_reset(q);
    ws_status s = rc == SQLITE_ROW || rc == SQLITE_DONE ? WS_OK : db_status_from(rc);
    if (s != WS_OK)
        return s;
    service v;
    attendance a;
    void *rec = volunteer ? (void *)&v : (void *)&a;
    if (line)
        s = record_load(ai->st, k, line, rec);
    else
        record_init(k, rec);
    if (s != WS_OK)
        return s;
    bool same;
    if (volunteer) {
        same = line && (!strcmp(v.mark, "present") || !strcmp(v.mark, "late")) &&
               (minutes <= 0 || v.minutes == minutes);
        v.session_id = sid;
        v.volunteer_id = pid;
        if (strcmp(v.mark, "late") != 0)
            snprintf(v.mark, sizeof v.mark, "present");
        if (minutes > 0)
            v.minutes = minutes;
    } else {
        same = line && (!strcmp(a.mark, "present") || !strcmp(a.mark, "late"));
        a.session_id = sid;
        a.resident_id = pid;
        if (strcmp(a.mark, "late") != 0)
            snprintf(a.mark, sizeof a.mark, "present");
    }
    if (same) {
        ai->rep->unchanged++;
        return WS_OK;
    }
    s = record_save(ai->st, k, rec, re);
    if (s == WS_OK)
        *(line ? &ai->rep->updated : &ai->rep->added) += 1;
    return s;
}

static ws_status att_row(att_import *ai, const csv_row *row)
{
    import_skip_reason skip;
    if (import_summary_row(row, ai->col[AC_NAME] >= 0 ? ai->col[AC_NAME] : ai->col[AC_ID],
                           ai->name_header[0] ? ai->name_header : NULL, &skip)) {
        ai->rep->skipped++;
        return WS_OK;
    }
    char why[512], date[11], today[11];
    const char *title = att_cell(ai, row, AC_ACTIVITY), *idn = att_cell(ai, row, AC_ID);
    const char *name = att_cell(ai, row, AC_NAME), *mins = att_cell(ai, row, AC_MINUTES);
    date_today(today);
    int64_t sid = 0, pid = 0, minutes = 0;
    bool volunteer = false;
    val_status dv = val_date(att_cell(ai, row, AC_DATE), today, true, date);
    if (dv != VAL_OK) {
        trf(why, sizeof why, "import.att_bad_date", att_cell(ai, row, AC_DATE),
            tr(val_status_key(dv)));
        att_error(ai, row, why);
        return WS_OK;
    }
    ws_status s = att_session(ai, title, date, &sid);
    if (s == WS_OK && !sid) {
        trf(why, sizeof why, "import.att_no_session", title, date);
        att_error(ai, row, why);
        return WS_OK;
    }
    if (s == WS_OK)
        s = att_person(ai, idn, name, &volunteer, &pid, why, sizeof why);
    if (s == WS_OK && !pid) {
        att_error(ai, row, why[0] ? why : tr("valid.required"));
        return WS_OK;
    }
    if (s == WS_OK && volunteer && *mins) {
        service tmp;
        record_init(&kind_service, &tmp);
        val_status vs = record_parse(ai->st, &kind_service, VSV_MINUTES, mins, &tmp);
        if (vs != VAL_OK || tmp.minutes <= 0) {
            trf(why, sizeof why, "import.att_bad_minutes", mins);
            att_error(ai, row, why);
            return WS_OK;
        }
        minutes = tmp.minutes;
    }
    record_error re;
    if (s == WS_OK)
        s = att_mark(ai, sid, volunteer, pid, minutes, &re);
    if (s == WS_ERR_INVALID) {
        att_error(ai, row, record_error_text(volunteer ? &kind_service : &kind_attendance, &re,
                                             why, sizeof why));
        s = WS_OK;
    }
    return s;
}

static ws_status att_run(att_import *ai, csv_reader *rd, bool dry_run)
{
    db *d = station_db(ai->st);
    ws_status s = db_begin(d);
    csv_row row;
    while (s == WS_OK && (s = csv_next(rd, &row)) == WS_OK) {
        if (row.blank)
            continue;
        ai->rep->rows++;
        s = att_row(ai, &row);
    }
    if (s == WS_ERR_NOT_FOUND)
        s = WS_OK;
    if (s == WS_OK && dry_run)
        db_rollback(d);
    else
        s = db_end(d, s);
    return s;
}

ws_status import_attendance(station *st, const char *path, const import_opts *opts,
                            attendance_import_report *rep, char *err, size_t errsz)
{
    memset(rep, 0, sizeof *rep);
    err[0] = '\0';
    ws_status s = station_require(st, PERM_IMPORT);
    if (s == WS_OK)
        s = station_require(st, PERM_VOLUNTEER_WRITE);
    if (s != WS_OK)
        return s;
    char *text = NULL;
    size_t tlen = 0;
    char sheet[256];
    s = import_ledger_text(path, opts, &rep->enc, sheet, &text, &tlen, err, errsz);
    if (s != WS_OK)
        return s;
    att_import ai = {.st = st, .rep = rep, .delim = csv_sniff(text, tlen)};
    csv_reader *rd = csv_reader_new(text, tlen, ai.delim);
    csv_row row;
    bool found = false;
    for (int tries = 0; rd && !found && tries < 10 && csv_next(rd, &row) == WS_OK;) {
        if (row.blank)
            continue;
        tries++;
        if ((found = att_map_header(&ai, &row))) {
            for (size_t i = 0; i < row.n; i++)
                csv_put_field(&ai.errors, row.fields[i], ai.delim, i == 0);
            csv_put_field(&ai.errors, tr("import.reason_col"), ai.delim, row.n == 0);
            csv_end_row(&ai.errors, "\r\n");
        }
    }
    if (!rd) {
        s = WS_ERR_NOMEM;
    } else if (!found) {
        if (sheet[0])
            trf(err, errsz, "book.att_no_header", sheet);
        else
            trf(err, errsz, "import.att_no_header", rep->enc.name);
        s = WS_ERR_INVALID;
    } else {
        s = att_run(&ai, rd, opts && opts->dry_run);
    }
    if (s == WS_OK && !(opts && opts->dry_run))
        s = import_ledger_errors(st, path, &rep->enc, rep->invalid ? &ai.errors : NULL,
                                 IMPORT_ERRFILE(rep));
    if (s != WS_OK && !err[0])
        snprintf(err, errsz, "%s", tr(ws_status_key(s)));
    csv_buf_free(&ai.errors);
    csv_reader_free(&rd);
    free(text);
    return s;
}
