/* wushe backup and wushe restore (cli_backup.c). */
#ifndef WUSHE_CLI_BACKUP_H
#define WUSHE_CLI_BACKUP_H

#include "cli_internal.h"

/* wushe backup [FILE|FOLDER] [--encrypt] */
int cli_cmd_backup(const cli_opts *o, const char *path, const station_config *cfg);
/* wushe restore BACKUP [--db TARGET] */
int cli_cmd_restore(const cli_opts *o, const char *path, const station_config *cfg);

#endif
