/* What every list screen does alike: the search box, Esc, resume. */
#include "screens.h"

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
