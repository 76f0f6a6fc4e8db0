/* Who is at the keyboard: the account a station acts as. Its own header
 * (no functions) so that the station, the permission table and the
 * accounts module can all know it without including each other. */
#ifndef WUSHE_IDENTITY_H
#define WUSHE_IDENTITY_H

#include <stdint.h>

#define ACCOUNT_LOGIN_MAX 32

typedef struct account {
    int64_t id;
    int64_t revision;
    char login[ACCOUNT_LOGIN_MAX + 1];
    char display_name[96];
    char role[16];             /* code list "role" */
    char phone[32];
    char active[2];            /* "1" in use, "0" disabled (code list account_state) */
    char last_login_at[32];    /* ISO 8601 UTC, "" never; kept by logins */
    int64_t must_change;       /* a reset password: change it at the next login */
} account;

#endif
