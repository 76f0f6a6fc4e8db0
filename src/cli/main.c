/* wushe: the station console and its command line. */
#include "cli.h"

int main(int argc, char **argv)
{
    return cli_main(argc, argv);
}
