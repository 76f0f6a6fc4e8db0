/* Erasure (PIPL Art. 47): a resident's personal data goes, on request or
 * after the retention period, while everyone else's records and the
 * counts stay as they were.
 *
 * The row stays, deleted and marked erased (erased_at): households,
 * statuses, consents, merges and the audit trail refer to it by id, a
 * household's history still shows that someone was a member, and a
 * county merge can carry the erasure by id. What identifies the person
 * goes from the row, from everything derived from it and from the
 * history. The erasure is recorded, without the erased data.
 *
 * SQLite keeps deleted content in free space inside pages and on its
 * freelist until it is reused: the erasure runs with secure_delete on, so
 * that what it frees is overwritten, and privacy_compact (VACUUM) rewrites
 * the file without what older writes left behind. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "record_internal.h"
#include "station_internal.h"
#include "wushe/access.h"
#include "wushe/casework.h"
#include "wushe/consent.h"
#include "wushe/privacy.h"
#include "wushe/resident.h"
#include "wushe/text.h"
#include "wushe/volunteer.h"

val_status privacy_reason_check(const char *reason)
{
    if (!reason)
        return VAL_REQUIRED;
    bool blank = true;
    for (const char *p = reason; *p && blank; p++)
        blank = *p == ' ' || *p == '\t';
    if (blank)
        return VAL_REQUIRED;
    return val_text_chars(reason, PRIVACY_REASON_CHARS, false, NULL);
}

/* A resident's audit snapshot (audit.c's JSON, or a declared kind's) with
 * the erased keys' values replaced: ?2 the erased name. The statuses keep
 * their code and disability type and grade. json_replace changes keys that
 * are there and adds none. */
#define ERASE_RESIDENT_JSON(x)                                                          \
    "CASE WHEN " x " IS NULL THEN NULL ELSE json_replace(" x ", '$.name', ?2,"          \
    " '$.id_number', NULL, '$.birth_date', NULL, '$.phone', '', '$.ethnicity', '',"     \
    " '$.address', '', '$.notes', '', '$.groups', json(coalesce((SELECT"                \
    " json_group_array(json_replace(g.value, '$.cert_no', '', '$.start_date', NULL,"   \
    " '$.review_date', NULL)) FROM json_each(" x ", '$.groups') g), '[]'))) END"
/* A consent's: the guardian and the paper form's reference go. */
#define ERASE_CONSENT_JSON(x)                                                           \
    "CASE WHEN " x " IS NULL THEN NULL ELSE json_replace(" x ", '$.guardian_name', '',"  \
    " '$.guardian_relation', '', '$.reference', '') END"

/* A linked volunteer's (volunteer.c copies the resident's name and phone). */
#define ERASE_VOLUNTEER_JSON(x)                                                         \
    "CASE WHEN " x " IS NULL THEN NULL ELSE json_replace(" x ", '$.name', ?2,"           \
    " '$.id_number', NULL, '$.phone', '') END"

/* Every text of `s` equal to `what` replaced by "***" (for the reason: a
 * 站长 may write the name into it). */
static void erase_mask_in(char *s, const char *what)
{
    size_t wl = strlen(what);
    if (wl < 3) /* the text only shrinks */
        return;
    for (char *p = strstr(s, what); p; p = strstr(p + 3, what)) {
        memmove(p + 3, p + wl, strlen(p + wl) + 1);
        memcpy(p, "***", 3);
    }
}

/* Whether a name is safe to replace as text in JSON documents: not one
 * character, and not plain ASCII letters that a JSON key could hold. */
static bool erase_name_scrubbable(const char *name)
{
    bool wide = false;
    for (const unsigned char *p = (const unsigned char *)name; *p; p++)
        wide |= *p >= 0x80;
    return wide && strlen(name) > 3;
}

/* Run sql binding ?1 = id, ?2 = text (may be NULL), ?3 = now. */
static ws_status erase_run(db *d, const char *sql, int64_t id, const char *text,
                           const char *now)
{
    sqlite3_stmt *q = db_prepare(d, sql);
    if (!q)
        return db_status(d);
    sqlite3_bind_int64(q, 1, id);
    db_bind_text_or_null(q, 2, text);
    db_bind_text(q, 3, now);
    int rc = sqlite3_step(q);
    db_reset(q);
    return rc == SQLITE_DONE ? WS_OK : db_status_from(rc);
}

/* Casework about the person keeps its rows (counts of visits, cases and
 * services stay right) and loses what was written about them: for each
 * table, the rows emptied and their history (the audit rows hold the same
 * text); ?1 the person. */
#define ERASE_CW(table, whose, set, json)                                                  \
    {"UPDATE " table " SET " set ", updated_at = ?3 WHERE " whose,                          \
     "UPDATE audit_log SET before = CASE WHEN before IS NULL THEN NULL ELSE json_replace("   \
     "before, " json ") END, after = CASE WHEN after IS NULL THEN NULL ELSE json_replace("   \
     "after, " json ") END WHERE table_name = '" table "' AND row_id IN (SELECT id FROM "    \
     table " WHERE " whose ") AND ?3 IS NOT NULL"}
#define ERASE_OF_CASES "case_id IN (SELECT id FROM cases WHERE resident_id = ?1)"

static const char *const erase_casework[][2] = {
    ERASE_CW("visits", "resident_id = ?1", "findings = '', met = ''",
             "'$.findings', '', '$.met', ''"),
    ERASE_CW("cases", "resident_id = ?1",
             "problem = '', no_consent = '', consent_ref = '', strengths = '', support = '',"
             " risks = '', person_view = '', summary = '', close_summary = '', next_action = ''",
             "'$.problem', '', '$.no_consent', '', '$.consent_ref', '', '$.strengths', '',"
             " '$.support', '', '$.risks', '', '$.person_view', '', '$.summary', '',"
             " '$.close_summary', '', '$.next_action', ''"),
    ERASE_CW("case_needs", ERASE_OF_CASES, "note = ''", "'$.note', ''"),
    ERASE_CW("case_goals", ERASE_OF_CASES, "target = '', outcome_note = ''",
             "'$.target', '', '$.outcome_note', ''"),
    ERASE_CW("case_tasks", "goal_id IN (SELECT id FROM case_goals WHERE " ERASE_OF_CASES ")",
             "note = ''", "'$.note', ''"),
    ERASE_CW("case_services", ERASE_OF_CASES, "content = '', next_action = ''",
             "'$.content', '', '$.next_action', ''"),
    ERASE_CW("referrals", "resident_id = ?1", "reason = '', feedback = '', override_reason = ''",
             "'$.reason', '', '$.feedback', '', '$.override_reason', ''"),
};

/* The search terms of the person's visits, cases and referrals (they
 * found them by the person's name). */
static ws_status erase_casework_terms(db *d, const record_kind *k, const char *sql, int64_t id)
{
    sqlite3_stmt *q = db_prepare(d, sql);
    if (!q)
        return db_status(d);
    sqlite3_bind_int64(q, 1, id);
    int64_t *ids = NULL;
    size_t n = 0, cap = 0;
    int rc;
    ws_status s = WS_OK;
    while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
        if (n == cap) {
            int64_t *m = realloc(ids, (cap = cap ? cap * 2 : 64) * sizeof *ids);
            if (!m) {
                s = WS_ERR_NOMEM;
                break;
            }
            ids = m;
        }
        ids[n++] = sqlite3_column_int64(q, 0);
    }
    db_reset(q);
    if (s == WS_OK && rc != SQLITE_DONE && rc != SQLITE_ROW)
        s = db_status_from(rc);
    for (size_t i = 0; s == WS_OK && i < n; i++)
        s = record_terms_delete(d, k, ids[i]);
    free(ids);
    return s;
}

static ws_status erase_casework_rows(db *d, int64_t id, const char *now)
{
    ws_status s = WS_OK;
    for (size_t i = 0; s == WS_OK && i < sizeof erase_casework / sizeof *erase_casework; i++) {
        s = erase_run(d, erase_casework[i][0], id, NULL, now);
        if (s == WS_OK)
            s = erase_run(d, erase_casework[i][1], id, NULL, now);
    }
    if (s == WS_OK)
        s = erase_casework_terms(d, &kind_visit, "SELECT id FROM visits WHERE resident_id = ?1",
                                 id);
    if (s == WS_OK)
        s = erase_casework_terms(d, &kind_case, "SELECT id FROM cases WHERE resident_id = ?1",
                                 id);
    if (s == WS_OK)
        s = erase_casework_terms(d, &kind_referral,
                                 "SELECT id FROM referrals WHERE resident_id = ?1", id);
    return s;
}


/* Text `what` (an ID number, a phone, a name) out of free-text records
 * elsewhere: the access log's details (queries, file names) and, when
 * `exports` (the ID number), the audit rows of unmasked searches and of
 * the duplicate review's rows. */
static ws_status erase_text_everywhere(db *d, const char *what, bool reviews)
{
    if (!what || !*what)
        return WS_OK;
    ws_status s = erase_run(d,
        "UPDATE access_log SET detail = replace(detail, ?2, '***') WHERE instr(detail, ?2)"
        "", 0, what, "");
    if (s == WS_OK)
        s = erase_run(d,
            "UPDATE audit_log SET before = replace(before, ?2, '***'),"
            " after = replace(after, ?2, '***') WHERE table_name = 'exports'"
            " AND (instr(before, ?2) OR instr(after, ?2))", 0, what, "");
    if (s == WS_OK && reviews)
        s = erase_run(d,
            "UPDATE audit_log SET before = replace(before, ?2, '***'),"
            " after = replace(after, ?2, '***') WHERE table_name = 'import_pending'"
            " AND (instr(before, ?2) OR instr(after, ?2))", 0, what, "");
    return s;
}

/* What the erasure changes, in one transaction (the caller's). */
static ws_status erase_rows(station *st, int64_t id, const char *reason, const char *now)
{
    db *d = station_db(st);
    char name[192] = "", idn[40] = "", phone[40] = "";
    bool found = false;
    int64_t deleted = 0;
    ws_status s = db_exists_i64(d, "SELECT 1 FROM residents WHERE id = ?1 AND erased_at IS NULL",
                                id, 0, &found);
    if (s == WS_OK && !found)
        s = WS_ERR_NOT_FOUND; /* no such resident, or erased already */
    if (s == WS_OK)
        s = db_int(d, "SELECT deleted_at IS NOT NULL FROM residents WHERE id = ?1", id, &deleted);
    if (s == WS_OK)
        s = db_text_i64(d, "SELECT name FROM residents WHERE id = ?1", id, name, sizeof name);
    if (s == WS_OK)
        s = db_text_i64(d, "SELECT coalesce(id_number, '') FROM residents WHERE id = ?1", id,
                        idn, sizeof idn);
    if (s == WS_OK)
        s = db_text_i64(d, "SELECT phone FROM residents WHERE id = ?1", id, phone, sizeof phone);
    /* A living resident leaves the register as a delete does: postings
     * out, the household's 户主 kept by the relations, audited. */
    if (s == WS_OK && !deleted)
        s = resident_delete(st, id);
    if (s == WS_OK)
        s = erase_run(d,
            "UPDATE residents SET name = ?2, id_number = NULL, birth_date = NULL, phone = '',"
            " ethnicity = '', address = '', notes = '', name_pinyin = '', name_initials = '',"
            " search_text = '', name_folded = '', sort_key = x'', seq = NULL, erased_at = ?3,"
            " updated_at = ?3, revision = revision + 1 WHERE id = ?1", id, PRIVACY_ERASED_NAME,
            now);
    if (s == WS_OK)
        s = erase_run(d,
            "UPDATE resident_groups SET cert_no = '', start_date = NULL, review_date = NULL"
            " WHERE resident_id = ?1", id, NULL, now);
    if (s == WS_OK)
        s = erase_run(d, "DELETE FROM visit_schedule WHERE resident_id = ?1", id, NULL, now);
    if (s == WS_OK)
        s = erase_casework_rows(d, id, now);
    /* Consents keep what they were (date, scope, giver, withdrawal) and
     * lose who signed for the person and where the paper is. */
    if (s == WS_OK)
        s = record_terms_delete_of(d, &kind_consent,
            "SELECT id FROM resident_consents WHERE resident_id = ?1", id);
    if (s == WS_OK)
        s = erase_run(d,
            "UPDATE resident_consents SET guardian_name = '', guardian_relation = '',"
            " reference = '', deleted_at = coalesce(deleted_at, ?3), updated_at = ?3,"
            " revision = revision + 1 WHERE resident_id = ?1", id, NULL, now);
    /* A volunteer linked to the person: the same values go from the row,
     * its search terms and its history; the row stays, deleted, so that
     * hours, attendance and counts keep their volunteer. */
    if (s == WS_OK)
        s = record_terms_delete_of(d, &kind_volunteer,
            "SELECT id FROM volunteers WHERE resident_id = ?1", id);
    if (s == WS_OK)
        s = erase_run(d,
            "UPDATE volunteers SET name = ?2, id_number = NULL, phone = '', sort_key = x'',"
            " deleted_at = coalesce(deleted_at, ?3), updated_at = ?3, revision = revision + 1"
            " WHERE resident_id = ?1", id, PRIVACY_ERASED_NAME, now);
    if (s == WS_OK)
        s = erase_run(d,
            "UPDATE audit_log SET before = " ERASE_VOLUNTEER_JSON("before") ", after = "
            ERASE_VOLUNTEER_JSON("after") " WHERE table_name = 'volunteers' AND row_id IN"
            " (SELECT id FROM volunteers WHERE resident_id = ?1)", id, PRIVACY_ERASED_NAME, now);
    /* The history of those rows, and the merges that wrote into the row. */
    if (s == WS_OK)
        s = erase_run(d,
            "UPDATE audit_log SET before = " ERASE_RESIDENT_JSON("before") ", after = "
            ERASE_RESIDENT_JSON("after") " WHERE table_name = 'residents' AND row_id = ?1",
            id, PRIVACY_ERASED_NAME, now);
    if (s == WS_OK)
        s = erase_run(d,
            "UPDATE audit_log SET before = " ERASE_CONSENT_JSON("before") ", after = "
            ERASE_CONSENT_JSON("after") " WHERE table_name = 'resident_consents' AND row_id IN"
            " (SELECT id FROM resident_consents WHERE resident_id = ?1)", id, NULL, now);
    if (s == WS_OK)
        s = erase_run(d,
            "UPDATE import_merges SET row_json = " ERASE_RESIDENT_JSON("row_json") ","
            " before_json = " ERASE_RESIDENT_JSON("before_json") ", after_json = "
            ERASE_RESIDENT_JSON("after_json") " WHERE resident_id = ?1", id,
            PRIVACY_ERASED_NAME, now);
    /* The ID number identifies one person wherever it is written; a phone
     * (a household's) and a name (others have it) only in queries. */
    if (s == WS_OK)
        s = erase_text_everywhere(d, idn, true);
    if (s == WS_OK && strlen(phone) >= 7)
        s = erase_text_everywhere(d, phone, false);
    if (s == WS_OK && erase_name_scrubbable(name))
        s = erase_text_everywhere(d, name, false);
    /* The ID and phone digits' grams stay in the text index's segments
     * (a contentless FTS5 table only marks a delete) until they are
     * merged: merge them now. */
    if (s == WS_OK)
        s = db_exec(d, "INSERT INTO search_fts(search_fts) VALUES ('optimize')");
    /* The record of the erasure: who, when, why (without the person's
     * values, should the reason name them), and which fields. */
    char why[PRIVACY_REASON_CHARS * 4 + 64];
    snprintf(why, sizeof why, "%s", reason);
    erase_mask_in(why, idn);
    if (strlen(phone) >= 7)
        erase_mask_in(why, phone);
    if (strlen(name) > 3)
        erase_mask_in(why, name);
    char *after = NULL;
    sqlite3_stmt *q = s == WS_OK ? db_prepare(d,
        "SELECT json_object('id', ?1, 'erased_at', ?2, 'reason', ?3, 'erased',"
        " json_array('name', 'id_number', 'birth_date', 'phone', 'ethnicity', 'address',"
        " 'notes', 'groups.cert_no', 'groups.start_date', 'groups.review_date',"
        " 'consents.guardian_name', 'consents.guardian_relation', 'consents.reference'))")
                                 : NULL;
    if (s == WS_OK && !q)
        s = db_status(d);
    if (s == WS_OK) {
        sqlite3_bind_int64(q, 1, id);
        db_bind_text(q, 2, now);
        db_bind_text(q, 3, why);
        if (sqlite3_step(q) == SQLITE_ROW && !(after = strdup((const char *)sqlite3_column_text(q, 0))))
            s = WS_ERR_NOMEM;
        else if (!after && s == WS_OK)
            s = db_status(d);
        db_reset(q);
    }
    char before[64];
    snprintf(before, sizeof before, "{\"id\":%lld,\"erased_at\":null}", (long long)id);
    if (s == WS_OK)
        s = audit_event(d, station_actor(st), "residents", id, AUDIT_UPDATE, before, after);
    char *detail = NULL;
    q = s == WS_OK ? db_prepare(d, "SELECT json_object('reason', ?1)") : NULL;
    if (s == WS_OK && !q)
        s = db_status(d);
    if (s == WS_OK) {
        db_bind_text(q, 1, why);
        if (sqlite3_step(q) == SQLITE_ROW && !(detail = strdup((const char *)sqlite3_column_text(q, 0))))
            s = WS_ERR_NOMEM;
        else if (!detail && s == WS_OK)
            s = db_status(d);
        db_reset(q);
    }
    if (s == WS_OK)
        s = access_log(st, &(access_entry){.event = EV_ERASE, .table = "residents", .row = id,
                                           .detail = detail});
    free(after);
    free(detail);
    return s;
}

ws_status resident_erase(station *st, int64_t id, const char *reason)
{
    ws_status s = station_require(st, PERM_ERASE);
    if (s != WS_OK)
        return s;
    if (privacy_reason_check(reason) != VAL_OK)
        return WS_ERR_INVALID;
    db *d = station_db(st);
    int64_t was = 0;
    s = db_int(d, "PRAGMA secure_delete", 0, &was);
    if (s == WS_OK)
        s = db_exec(d, "PRAGMA secure_delete = ON");
    if (s != WS_OK)
        return s;
    char now[32];
    db_now(now);
    s = db_begin(d);
    if (s == WS_OK)
        s = db_end(d, erase_rows(st, id, reason, now));
    db_exec(d, was == 1 ? "PRAGMA secure_delete = ON" : was == 2 ? "PRAGMA secure_delete = FAST"
                                                                : "PRAGMA secure_delete = OFF");
    return s;
}

ws_status privacy_compact(station *st)
{
    ws_status s = station_require(st, PERM_ERASE);
    if (s != WS_OK)
        return s;
    db *d = station_db(st);
    s = db_exec(d, "VACUUM");
    /* The write-ahead log holds the pages written before (the old
     * values among them) until a checkpoint: copy them in and empty it.
     * Another console reading at that moment keeps it from finishing. */
    int64_t busy = 0;
    if (s == WS_OK)
        s = db_int(d, "PRAGMA wal_checkpoint(TRUNCATE)", 0, &busy);
    return s == WS_OK && busy ? WS_ERR_BUSY : s;
}
