/* What every list screen, and every form screen, does alike: the search
 * box or the fields, Esc, resume. */
#include <stdlib.h>

#include "screens.h"
#include "wushe/catalog.h"

bool list_screen_key(screen *s, int key)
{
    return list_key(((list_screen *)s)->list, key);
}

bool list_screen_typing(screen *s)
{
    return list_typing(((list_screen *)s)->list);
}

void list_screen_draw(screen *s, int top, int height, int width)
{
    list_draw(((list_screen *)s)->list, top, height, width);
}

bool list_screen_back(screen *s)
{
    if (!list_act(((list_screen *)s)->list, ACT_BACK))
        app_pop(s->app);
    return true;
}

void list_screen_resume(screen *s)
{
    list_screen *ls = (list_screen *)s;
    if (ls->saved_id)
        list_goto(ls->list, ls->saved_id);
    else
        list_reload(ls->list);
    ls->saved_id = 0;
}

void list_screen_destroy(screen *s)
{
    list_free(&((list_screen *)s)->list);
    free(s);
}

bool form_screen_key(screen *s, int key)
{
    return form_key(((form_screen *)s)->form, key);
}

bool form_screen_typing(screen *s)
{
    return form_typing(((form_screen *)s)->form);
}

bool form_screen_dirty(screen *s)
{
    return form_dirty(((form_screen *)s)->form);
}

static void form_screen_discard(app *a, void *ctx)
{
    (void)ctx;
    app_pop(a);
}

bool form_screen_back(screen *s)
{
    if (form_dirty(((form_screen *)s)->form))
        app_confirm(s->app, tr("app.confirm_quit_dirty"), form_screen_discard, s);
    else
        app_pop(s->app);
    return true;
}
