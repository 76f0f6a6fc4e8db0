/* Command line: options, subcommands (demo, search, check), and the start
 * of the console. */
#ifndef WUSHE_CLI_H
#define WUSHE_CLI_H

int cli_main(int argc, char **argv);

#endif
