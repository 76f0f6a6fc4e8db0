/* The validators of what a clerk types or a ledger holds
 * (src/text/validate.c): ID numbers, dates, phones, names, free text, and
 * the masks lists show. */
#include <stdio.h>

#include "fuzz.h"
#include "wushe/validate.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *s = fuzz_cstr(data, size);
    val_id id;
    if (val_id_number(s, "2026-11-23", &id) == VAL_OK) {
        if (strlen(id.number) != 18 || strlen(id.birth) != 10)
            abort();
        char masked[64];
        mask_id_number(id.number, masked, sizeof masked);
    }
    char date[11];
    if (val_date(s, "2026-11-23", size & 1, date) == VAL_OK) {
        if (strlen(date) != 10)
            abort();
        char later[11];
        date_add_days(date, (int)(size % 4000) - 2000, later);
        (void)date_days_between(date, later);
        (void)date_age(date, "2026-11-23");
        char m[32];
        mask_birth_date(date, m, sizeof m);
    }
    char phone[32];
    if (val_phone(s, phone, sizeof phone) == VAL_OK) {
        char m[64];
        mask_phone(phone, m, sizeof m);
    }
    char name[256];
    (void)val_person_name(s, size & 2 ? VAL_NAME_ALLOW_LATIN : 0, 20, name, sizeof name);
    (void)val_name(s, 20);
    (void)val_text(s, 64);
    size_t chars = 0;
    (void)val_text_chars(s, 30, size & 4, &chars);
    char m[64];
    mask_id_number(s, m, sizeof m);
    mask_phone(s, m, sizeof m);
    free(s);
    return 0;
}
