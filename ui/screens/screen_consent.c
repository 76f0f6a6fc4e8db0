/* A resident's consents (同意记录), opened from the resident form: the
 * declared kind's own list (screen_records.c) of this one person, with its
 * search box, new (F5) and edit (Enter), delete and recycle bin. The
 * form leaves the person out: it is the one whose list this is. */
#include "screens.h"
#include "wushe/consent.h"
#include "wushe/record.h"

screen *consent_screen_new(app *a, int64_t resident_id, const char *name)
{
    record_parent parent = {.field = CF_RESIDENT, .id = resident_id};
    return kind_list_screen_in(a, &kind_consent, false, &parent, name);
}
