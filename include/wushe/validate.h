/* Validators for what clerks type: ID numbers (GB 11643), dates, phones,
 * names. Each returns a val_status whose catalog key names the problem. */
#ifndef WUSHE_VALIDATE_H
#define WUSHE_VALIDATE_H

#include <stdbool.h>
#include <stddef.h>

#define VAL_STATUS_LIST(X)                          \
    X(VAL_OK, "valid.ok")                           \
    X(VAL_REQUIRED, "valid.required")               \
    X(VAL_CONTROL, "valid.control")                 \
    X(VAL_TOO_LONG, "valid.too_long")               \
    X(VAL_NAME_CHARS, "valid.name_chars")           \
    X(VAL_NAME_CHARS_LATIN, "valid.name_chars_latin") \
    X(VAL_NAME_DIGIT, "valid.name_digit")           \
    X(VAL_NAME_LATIN, "valid.name_latin")           \
    X(VAL_NAME_SPACE, "valid.name_space")           \
    X(VAL_NAME_SPACE_LATIN, "valid.name_space_latin") \
    X(VAL_NAME_DOT, "valid.name_dot")               \
    X(VAL_ID_LENGTH, "valid.id_length")             \
    X(VAL_ID_CHARS, "valid.id_chars")               \
    X(VAL_ID_REGION, "valid.id_region")             \
    X(VAL_ID_DATE, "valid.id_date")                 \
    X(VAL_ID_CHECK, "valid.id_check")               \
    X(VAL_DATE_FORMAT, "valid.date_format")         \
    X(VAL_DATE_INVALID, "valid.date_invalid")       \
    X(VAL_DATE_FUTURE, "valid.date_future")         \
    X(VAL_DATE_TOO_OLD, "valid.date_too_old")       \
    X(VAL_PHONE, "valid.phone")                     \
    X(VAL_SEX_MISMATCH, "valid.sex_mismatch")       \
    X(VAL_BIRTH_MISMATCH, "valid.birth_mismatch")   \
    X(VAL_DUPLICATE_ID, "valid.duplicate_id")       \
    X(VAL_UNKNOWN_CODE, "valid.unknown_code")       \
    X(VAL_HEAD_TAKEN, "valid.head_taken")           \
    X(VAL_NOT_FOUND, "valid.not_found")             \
    X(VAL_DIGITS, "valid.digits")                   \
    X(VAL_DUPLICATE, "valid.duplicate")             \
    X(VAL_NUMBER, "valid.number")                   \
    X(VAL_IN_USE, "valid.in_use")                   \
    X(VAL_GROUP_CHILD, "valid.group_child")         \
    X(VAL_GROUP_ELDERLY, "valid.group_elderly")                   \
    X(VAL_ID_FUTURE, "valid.id_future")             \
    X(VAL_PHONE_DATE, "valid.phone_date")           \
    X(VAL_REVIEW_BEFORE_START, "valid.review_before_start") \
    X(VAL_RELATION_NEEDED, "valid.relation_needed") \
    X(VAL_LOGIN_CHARS, "valid.login_chars")         \
    X(VAL_PASSWORD_SHORT, "valid.password_short")   \
    X(VAL_PASSWORD_LONG, "valid.password_long")     \
    X(VAL_PASSWORD_LOGIN, "valid.password_login")   \
    X(VAL_PASSWORD_CHARS, "valid.password_chars")   \
    X(VAL_PASSWORD_MISMATCH, "valid.password_mismatch") \
    X(VAL_PASSWORD_SAME, "valid.password_same")     \
    X(VAL_LAST_DIRECTOR, "valid.last_director") \
    X(VAL_MASKED_EDIT, "valid.masked_edit") \
    X(VAL_GUARDIAN_NEEDED, "valid.guardian_needed") \
    X(VAL_BEFORE_BIRTH, "valid.before_birth")       \
    X(VAL_WITHDRAWN_BEFORE, "valid.withdrawn_before") \
    X(VAL_CASE_LOCKED, "valid.case_locked")         \
    X(VAL_NOT_MEMBER, "valid.not_member")           \
    X(VAL_BEFORE_DATE, "valid.before_date")         \
    X(VAL_SAME_WORKER, "valid.same_worker")         \
    X(VAL_NOT_WORKER, "valid.not_worker")           \
    X(VAL_RANGE, "valid.range")                     \
    X(VAL_NO_CONSENT, "valid.no_consent")           \
    X(VAL_STAGE_MISSING, "valid.stage_missing")     \
    X(VAL_REASON_NEEDED, "valid.reason_needed")     \
    X(VAL_MOVE_DENIED, "valid.move_denied")         \
    X(VAL_OTHER_CASE, "valid.other_case")           \
    X(VAL_CASE_NO_DELETE, "valid.case_no_delete")   \
    X(VAL_NOT_THEIRS, "valid.not_theirs")           \
    X(VAL_POSTED, "valid.posted")                   \
    X(VAL_RULE, "valid.rule") \
    X(VAL_TIME, "valid.time")                       \
    X(VAL_FORMAT_CHAR, "damage.name_format")        \
    X(VAL_END_BEFORE_START, "valid.end_before_start") \
    X(VAL_MINUTES_POSITIVE, "valid.minutes_positive") \
    X(VAL_DAY_MINUTES, "valid.day_minutes")         \
    X(VAL_ON_ROSTER, "valid.on_roster")             \
    X(VAL_ONE_PERSON, "valid.one_person")           \
    X(VAL_BEFORE_REGISTERED, "valid.before_registered") \
    X(VAL_AFTER_LEFT, "valid.after_left")           \
    X(VAL_LEFT_BEFORE_JOINED, "valid.left_before_joined") \
    X(VAL_ALREADY_MEMBER, "valid.already_member")   \
    X(VAL_POINTS_SHORT, "valid.points_short")       \
    X(VAL_POINTS_SPENT, "valid.points_spent")       \
    X(VAL_REVERSED, "valid.reversed")               \
    X(VAL_NOT_PENDING, "valid.not_pending")         \
    X(VAL_VOLUNTEER_TWICE, "valid.volunteer_twice") \
    X(VAL_HOURS_TWICE, "valid.hours_twice")         \
    X(VAL_NO_HOURS, "valid.no_hours")               \
    X(VAL_NOT_IN_LIST, "valid.not_in_list")         \
    X(VAL_DUPLICATE_OF, "valid.duplicate_of")     \
    X(VAL_ID_IN_BIN, "valid.id_in_bin")

typedef enum {
#define VAL_STATUS_ENUM(name, key) name,
    VAL_STATUS_LIST(VAL_STATUS_ENUM)
#undef VAL_STATUS_ENUM
    VAL_STATUS_COUNT
} val_status;

const char *val_status_key(val_status v);
/* The message of v takes a name (%s): the resident holding the ID number,
 * the household's head, the 认定日期 a 复核日期 may not precede. */
bool val_status_names(val_status v);

/* Sex codes per GB/T 2261.1. */
enum { SEX_UNKNOWN = 0, SEX_MALE = 1, SEX_FEMALE = 2 };

typedef struct val_id {
    char number[19]; /* normalised 18 characters, upper-case X */
    char birth[11];  /* YYYY-MM-DD */
    int sex;         /* SEX_MALE / SEX_FEMALE */
    bool upgraded;   /* was a 15-digit legacy number */
} val_id;

/* Validate a resident ID number (居民身份证号码). Spaces are ignored; a
 * lower-case x is accepted; a 15-digit legacy number is upgraded to 18 digits
 * (century 19, check digit computed). The birth date must be a real date
 * (VAL_ID_DATE), not after `today` (YYYY-MM-DD; VAL_ID_FUTURE) and not before
 * 1880-01-01. The first two digits must be a valid province code. ISO 7064
 * MOD 11-2 check digit. */
val_status val_id_number(const char *in, const char *today, val_id *out);
/* in with full-width ASCII (U+FF01..U+FF5E) and the ideographic space as
 * plain ASCII, as the validators read it (an IME's "５１０９…"); false when
 * in is not UTF-8 or out is too small. in and out may be the same. */
bool val_halfwidth(const char *in, char *out, size_t outsz);

/* GB 11643 check character for the first 17 digits ('0'..'9' or 'X'). */
char val_id_check_char(const char digits17[17]);

/* Dates: accepts YYYY-MM-DD, YYYY/MM/DD, YYYY.MM.DD, YYYYMMDD, and Chinese
 * YYYY年MM月DD日 (leading zeros optional with separators). Normalised to
 * YYYY-MM-DD in out[11]. Real calendar date (leap years). When past_only,
 * a date after `today` is VAL_DATE_FUTURE; dates before 1880 are
 * VAL_DATE_TOO_OLD. Empty input is VAL_REQUIRED. */
val_status val_date(const char *in, const char *today, bool past_only, char out[11]);

/* Phone: spaces, dashes, dots and parentheses are ignored. A mobile number is
 * 1[3-9] + 9 digits, after stripping +86 / 0086 / 86 (normalised to 11
 * digits). A landline is 0 + area code + 7-8 digits, normalised as
 * "0AA-NNNNNNNN" (3-digit area codes 010, 02x; otherwise 4 digits), with an
 * optional extension kept as "-EXT" after '-' or '转'; a bare 7-8 digit
 * local number starting 2-9 is also accepted as is, except an 8-digit one
 * that reads as a date from 1900 to 2099 (20300101, 2030-01-01: a date
 * typed or pasted into the phone column), which is VAL_PHONE_DATE: such a
 * local number exists in some cities, and is then written with its area
 * code (020-20300101), which is accepted. out must hold 32 bytes. */
val_status val_phone(const char *in, char *out, size_t outsz);

/* A person's name: required (after trimming), no control characters or
 * invalid UTF-8, at most max_chars code points. */
val_status val_name(const char *in, size_t max_chars);

/* Flags of val_person_name. */
enum {
    VAL_NAME_ALLOW_LATIN = 1u << 0,
    /* Spaces between two Chinese characters are dropped: a ledger pads
     * names to line them up (张  三, 曾  大伟); a form still refuses them. */
    VAL_NAME_JOIN_HAN = 1u << 1,
};

/* A person's name as the register keeps it: Chinese characters (Han, any
 * CJK block, and 〇), with the middle dot of minority names between two
 * parts (阿依古丽·买买提); with VAL_NAME_ALLOW_LATIN (a station setting)
 * also Latin letters and one space between two Latin words. Spaces at both
 * ends are dropped; the dots · ・ • ‧ ． ･ ∙ ⋅ and '.' become U+00B7, and
 * full-width Latin letters and spaces become ASCII. out (may be NULL) gets
 * the normalised name; at most max_chars code points (0: no limit). The
 * status names what is wrong: a digit, a Latin letter where none is
 * allowed, a space, a misplaced dot, any other character. */
val_status val_person_name(const char *in, unsigned flags, size_t max_chars, char *out,
                           size_t outsz);

/* Free text (address, notes): no control characters except none; may be
 * empty; at most max_bytes bytes. */
val_status val_text(const char *in, size_t max_bytes);

/* Free text measured as a clerk counts it: at most max_chars characters
 * (code points; 0 = no limit), no control characters or invalid UTF-8
 * except '\n' where `lines` allows it (notes). *chars (may be NULL) gets
 * the count, for a message naming both. */
val_status val_text_chars(const char *in, size_t max_chars, bool lines, size_t *chars);

/* Today's date as YYYY-MM-DD in local time; WUSHE_TODAY in the environment
 * overrides it (tests). */
void date_today(char out[11]);

/* Whole years between birth and today (both YYYY-MM-DD), -1 if unparsable. */
int date_age(const char *birth, const char *today);
/* date + days (YYYY-MM-DD; "" when date is not one). */
void date_add_days(const char *date, int days, char out[11]);
/* Days from `from` to `to` (negative when to is earlier; 0 when either is
 * not a date). */
int date_days_between(const char *from, const char *to);

/* Masked identifiers for lists: "510***********1234", "138****1234".
 * out must hold 32 bytes; empty input gives "". */
void mask_id_number(const char *id, char *out, size_t outsz);
void mask_phone(const char *phone, char *out, size_t outsz);
/* A birth date beside a masked ID number would give its hidden digits
 * back (the county is the township's): the year only, "1980-**-**". */
void mask_birth_date(const char *date, char *out, size_t outsz);

#endif
