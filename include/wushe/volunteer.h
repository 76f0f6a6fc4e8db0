/* Volunteers (志愿者), their teams, the activities they serve at and the
 * service they give (issue 12; 民政部令第67号).
 *
 * Volunteers, teams, team members, activities, sessions and attendance are
 * declared kinds of record (volunteer.c, activity.c). Hours and time-bank
 * points are ledgers (volunteer_hours.c): rows are only added; 更正 is a
 * reversal linked to the original plus the corrected entry; totals and
 * balances are sums; a points balance never goes below zero, checked
 * inside the writing transaction. The counts a report or a title shows
 * (活动场次, 服务人数, 服务人次, volunteer 人次 and 时长) are defined here
 * once (volunteer_count.c). */
#ifndef WUSHE_VOLUNTEER_H
#define WUSHE_VOLUNTEER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "wushe/record.h"
#include "wushe/station.h"

/* ---- volunteers ---- */

typedef struct volunteer {
    int64_t id; /* 0 = new */
    int64_t revision;
    char number[32];      /* <station code>V<6 digits>, given at the first save */
    int64_t resident_id;  /* the register's person (0: standalone) */
    char name[192];       /* a linked volunteer's is the resident's */
    char id_number[24];
    char phone[24];
    char registered_date[16];
    char skills[256];       /* volunteer_skill codes, comma separated */
    char availability[128]; /* volunteer_time codes */
    char status[16];        /* volunteer_status: active, paused, left */
    char status_date[16];   /* required unless active */
    char status_reason[256];
} volunteer;

typedef enum {
    VOL_NUMBER,
    VOL_RESIDENT,
    VOL_NAME,
    VOL_ID_NUMBER,
    VOL_PHONE,
    VOL_REGISTERED,
    VOL_SKILLS,
    VOL_AVAILABILITY,
    VOL_STATUS,
    VOL_STATUS_DATE,
    VOL_STATUS_REASON,
} volunteer_field;

extern const record_kind kind_volunteer;
/* A new volunteer: registered today, active. */
void volunteer_init(volunteer *v);
/* The volunteer with this number (0 when none). */
ws_status volunteer_find_number(station *st, const char *number, int64_t *id);

/* ---- teams (志愿服务队) and their members ---- */

typedef struct team {
    int64_t id, revision;
    char name[256];
    int64_t leader_id;   /* a volunteer (0: none yet) */
    char organiser[256]; /* "" : the station */
    char founded_date[16];
    char notes[2048];
    int64_t org_id;      /* the social organisation that runs it (0: none) */
} team;

typedef enum { TF_NAME, TF_LEADER, TF_ORG, TF_ORGANISER, TF_FOUNDED, TF_NOTES } team_field;
extern const record_kind kind_team;

typedef struct team_member {
    int64_t id, revision;
    int64_t team_id;
    int64_t volunteer_id;
    char joined_date[16];
    char left_date[16]; /* "" while a member */
    char duty[128];     /* 队内分工 */
} team_member;

typedef enum { TMF_TEAM, TMF_VOLUNTEER, TMF_JOINED, TMF_LEFT, TMF_DUTY } team_member_field;
extern const record_kind kind_team_member;

/* ---- activities, sessions, attendance ---- */

typedef struct activity {
    int64_t id, revision;
    char title[256];
    char type[24];       /* activity_type */
    int64_t team_id;     /* organiser (0: the station) */
    int64_t community_id;
    char place[256];
    char content[4096];
    int64_t project_id;  /* the project it is part of (0: none) */
} activity;

typedef enum { AF_TITLE, AF_TYPE, AF_TEAM, AF_COMMUNITY, AF_PLACE, AF_CONTENT,
               AF_PROJECT } activity_field;
extern const record_kind kind_activity;

typedef struct session {
    int64_t id, revision;
    int64_t activity_id;
    char date[16];
    char start[8]; /* HH:MM */
    char end[8];   /* HH:MM, after start on the same day */
    int64_t unnamed;
    char note[512];
} session;

typedef enum { SF_ACTIVITY, SF_DATE, SF_START, SF_END, SF_UNNAMED, SF_NOTE } session_field;
extern const record_kind kind_session;
/* A session's length in minutes (0 when its times are not valid). */
int session_minutes(const session *s);

/* A resident expected or served at a session. */
typedef struct attendance {
    int64_t id, revision;
    int64_t session_id;
    int64_t resident_id;
    char mark[16];  /* attendance_mark; "" not yet marked */
    char note[256];
} attendance;

typedef enum { ATF_SESSION, ATF_RESIDENT, ATF_MARK, ATF_NOTE } attendance_field;
extern const record_kind kind_attendance;

/* A volunteer expected or serving at a session. */
typedef struct service {
    int64_t id, revision;
    int64_t session_id;
    int64_t volunteer_id;
    char mark[16];
    int64_t minutes; /* 0 when present or late on save: the session's length */
    char note[256];
} service;

typedef enum { VSV_SESSION, VSV_VOLUNTEER, VSV_MARK, VSV_MINUTES, VSV_NOTE } service_field;
extern const record_kind kind_service;

/* One line of a session's roster (the sign-in sheet). */
typedef struct roster_line {
    int64_t id;        /* the attendance or service record */
    bool is_volunteer;
    int64_t person_id; /* resident or volunteer */
    char name[192];
    char detail[64];   /* volunteer number, or the resident's phone masked */
    char mark[16];
    int64_t minutes;
    int64_t revision;  /* the line's as read: a mark on a line changed since is refused */
} roster_line;

/* The roster of one session: volunteers first, then residents, each in
 * name order; *n lines (at most max). */
ws_status roster_list(station *st, int64_t session_id, roster_line *out, size_t max, size_t *n);
/* Add a person to the roster (unmarked); WS_ERR_INVALID with re filled
 * when they are on it already. */
ws_status roster_add(station *st, int64_t session_id, bool volunteer, int64_t person_id,
                     record_error *re);
/* Mark one line (present, late, absent, excused or "" to clear). A line
 * changed by someone else since roster_list read it is refused
 * (WS_ERR_STALE, re->detail who and when); a mark on a session whose date
 * is after today is refused (WS_ERR_INVALID). */
ws_status roster_mark(station *st, const roster_line *line, const char *mark,
                      record_error *re);

/* ---- counting: defined once ---- */

typedef struct activity_counts {
    int64_t sessions;          /* 活动场次 */
    int64_t people;            /* 服务人数: distinct residents present or late */
    int64_t person_times;      /* 服务人次: named present or late + unnamed */
    int64_t volunteer_times;   /* 志愿者人次 */
    int64_t volunteer_minutes; /* 志愿服务时长: confirmed hours of those sessions */
} activity_counts;

/* Counts of one activity (activity_id), or of every activity with a
 * session in [from, to] (activity_id 0; "" for an open end). */
ws_status activity_counts_get(station *st, int64_t activity_id, const char *from,
                              const char *to, activity_counts *out);

/* ---- hours: a ledger ---- */

typedef struct hour_entry {
    int64_t id;
    int64_t volunteer_id;
    int64_t session_id; /* 0: service outside an activity */
    char description[256];
    char date[16];
    int64_t minutes;
    char kind[16];      /* entry, reversal, correction */
    int64_t corrects_id;
    char reason[256];
    char recorded_by[64];
    char confirmed_by[64]; /* "" pending */
    char volunteer_number[32]; /* lists: who */
    char volunteer_name[192];
} hour_entry;

/* Which part of an hour entry an error is about (record_error.field). */
typedef enum {
    HEF_VOLUNTEER,
    HEF_SESSION,
    HEF_DESCRIPTION,
    HEF_DATE,
    HEF_MINUTES,
    HEF_REASON,
    HEF_POINTS,
    HEF_FAMILY, /* the family member points are given to */
} hour_entry_field;

/* Record service. Confirmed at once when the actor may confirm
 * (PERM_HOURS_CONFIRM), else pending. Refused (WS_ERR_INVALID, re->code):
 * minutes not above zero, more than a day for one volunteer on one day,
 * a date after today, before registration or after the volunteer left,
 * the same session twice. On success *id (may be NULL) is the entry. */
ws_status hours_add(station *st, const hour_entry *e, record_error *re, int64_t *id);
/* Confirm a pending entry (and earn its points). */
ws_status hours_confirm(station *st, int64_t entry_id, record_error *re);
/* 全部确认: every pending entry of one volunteer (volunteer_id 0: of every
 * volunteer) that can be confirmed (not reversed), in one transaction;
 * *confirmed gets how many. */
ws_status hours_confirm_all(station *st, int64_t volunteer_id, size_t *confirmed,
                            record_error *re);
/* The pending entries 全部确认 would take now (of one volunteer, or with
 * volunteer_id 0 of the volunteers `filter` finds; "" or NULL: all), oldest
 * first: what the question counts (*ids malloc'd). */
ws_status hours_pending_ids(station *st, int64_t volunteer_id, const char *filter,
                            int64_t **ids, size_t *n);
/* Confirm exactly these entries in one transaction: those confirmed or
 * corrected by someone else since they were read are left alone and not
 * counted. */
ws_status hours_confirm_ids(station *st, const int64_t *ids, size_t n, size_t *confirmed,
                            record_error *re);
/* 更正: a reversal of entry_id with reason and, when minutes > 0, the
 * corrected entry (same volunteer, session and date; minutes). A reversed
 * entry or a reversal is refused; points earned from it are reversed too,
 * refused when they were already spent. *corrected (may be NULL) gets the
 * new entry's id. */
ws_status hours_correct(station *st, int64_t entry_id, int64_t minutes, const char *reason,
                        record_error *re, int64_t *corrected);
/* Whether this account may 更正 entry_id at all (before asking what for):
 * WS_ERR_INVALID with re's reason when it is reversed, a reversal, or
 * confirmed and the account may not confirm. */
ws_status hours_may_correct(station *st, int64_t entry_id, record_error *re);
/* Post the hours of a session's volunteers present or late that have no
 * entry for it yet; *posted gets how many, *skipped how many could not be
 * posted (registered after the session, left before it, a full day) and
 * why the first of them not (why->field -1 when none). */
ws_status hours_post_session(station *st, int64_t session_id, size_t *posted, size_t *skipped,
                             record_error *why);
/* Entries of one volunteer, newest service date first, then newest
 * recorded (keyset: before_id 0 the start, else the last row given);
 * volunteer_id 0: every volunteer's, newest recorded first (an export). */
ws_status hours_list(station *st, int64_t volunteer_id, int64_t before_id, hour_entry *out,
                     size_t max, size_t *n);
/* The same of the entries waiting for confirmation (those 全部确认 takes). */
ws_status hours_list_pending(station *st, int64_t volunteer_id, int64_t before_id,
                             hour_entry *out, size_t max, size_t *n);
/* One volunteer's entries (volunteer_id > 0) whose service, date or reason
 * holds the search box's text ("" or NULL: all), as hours_list. */
ws_status hours_find(station *st, int64_t volunteer_id, const char *filter, int64_t before_id,
                     hour_entry *out, size_t max, size_t *n);
/* Every volunteer's pending entries whose volunteer the search box finds
 * (name, pinyin, initials, number, as the volunteers list; "" or NULL:
 * all), newest first. */
ws_status hours_find_pending(station *st, const char *filter, int64_t before_id,
                             hour_entry *out, size_t max, size_t *n);

/* A volunteer's totals: confirmed minutes in all, this year (by the
 * station's today), and in [from, to] ("" open); the star level (0-5) of
 * the lifetime hours; the points balance. */
typedef struct volunteer_totals {
    int64_t minutes, minutes_year, minutes_range;
    int64_t pending_minutes;
    int stars;
    int64_t points;
} volunteer_totals;

ws_status volunteer_totals_get(station *st, int64_t volunteer_id, const char *from,
                               const char *to, volunteer_totals *out);
/* The star level of so many minutes by the station's thresholds. */
int volunteer_stars(station *st, int64_t minutes);

/* ---- time bank: a ledger ---- */

/* Spend points (爱心超市: goods or a service), or give them to a family
 * member on the register (resident_id non-zero). Refused when the balance
 * would go below zero (VAL_POINTS_SHORT, detail the balance), checked
 * inside the transaction. */
ws_status points_spend(station *st, int64_t volunteer_id, int64_t points, int64_t resident_id,
                       const char *description, record_error *re, int64_t *id);
ws_status points_balance(station *st, int64_t volunteer_id, int64_t *balance);

/* One movement of a volunteer's points, for the 积分明细. */
typedef struct points_move {
    int64_t id;
    char date[16];
    int64_t points;     /* + earned, - spent, given or reversed */
    char movement[16];  /* earn, spend, give, reversal */
    char what[256];     /* what was bought, or the service that earned them */
    char family[192];   /* give: the family member's name */
    char recorded_by[96];
} points_move;
/* A volunteer's movements, newest date first, then newest recorded
 * (keyset: before_id 0 the start, else the last row given). */
ws_status points_list(station *st, int64_t volunteer_id, int64_t before_id, points_move *out,
                      size_t max, size_t *n);

/* ---- 志愿服务记录证明: the registry ---- */

typedef struct certificate {
    int64_t id;
    char number[48];
    int64_t volunteer_id;
    char volunteer_number[32];
    char volunteer_name[192];
    char from[16], to[16]; /* from "" : since registration */
    int64_t minutes;
    char issued_by[64];    /* display name */
    char issued_on[16];    /* the station's date it was issued */
} certificate;

/* The certificate of a volunteer's confirmed service in [from, to] (to ""
 * today): the registered one when this volunteer, period and hours were
 * certified before (a reprint), else a new number. Refused
 * (WS_ERR_INVALID, VAL_NO_HOURS) for a period without hours. */
ws_status certificate_issue(station *st, int64_t volunteer_id, const char *from, const char *to,
                            certificate *out, record_error *re);
/* What certificate `number` certified (WS_ERR_NOT_FOUND when none). */
ws_status certificate_find(station *st, const char *number, certificate *out);

/* One line of service in a period, for a certificate: the standing
 * confirmed entries (corrections as corrected), oldest first. */
typedef struct service_line {
    char date[16];
    char what[256];
    int64_t minutes;
} service_line;
ws_status service_lines(station *st, int64_t volunteer_id, const char *from, const char *to,
                        service_line *out, size_t max, size_t *n);

/* ---- the rest of the 67号令 record: 培训, 表彰奖励, 评价 ---- */

typedef struct volunteer_training {
    int64_t id, revision;
    int64_t volunteer_id;
    char date[16];
    char topic[256];
    int64_t minutes; /* 学时 */
    char trainer[128];
    char organiser[256];
} volunteer_training;

typedef enum { VTF_VOLUNTEER, VTF_DATE, VTF_TOPIC, VTF_MINUTES, VTF_TRAINER,
               VTF_ORGANISER } volunteer_training_field;
extern const record_kind kind_volunteer_training;

typedef struct volunteer_commendation {
    int64_t id, revision;
    int64_t volunteer_id;
    char date[16];
    char title[256];  /* 荣誉称号 or 奖项 */
    char level[24];   /* commendation_level */
    char issuer[256]; /* 授予单位 */
    char notes[1024];
} volunteer_commendation;

typedef enum { VCF_VOLUNTEER, VCF_DATE, VCF_TITLE, VCF_LEVEL, VCF_ISSUER,
               VCF_NOTES } volunteer_commendation_field;
extern const record_kind kind_volunteer_commendation;

/* One evaluation a volunteer a year (评价情况). */
typedef struct volunteer_evaluation {
    int64_t id, revision;
    int64_t volunteer_id;
    int64_t year;
    char rating[24]; /* evaluation_rating */
    char date[16];
    char evaluator[128];
    char comment[2048];
} volunteer_evaluation;

typedef enum { VEF_VOLUNTEER, VEF_YEAR, VEF_RATING, VEF_DATE, VEF_EVALUATOR,
               VEF_COMMENT } volunteer_evaluation_field;
extern const record_kind kind_volunteer_evaluation;

#endif
