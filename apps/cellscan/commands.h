/* The cellscan subcommands: each lives in its own cmd_NAME.c and returns the exit status. */
#ifndef CELLSCAN_COMMANDS_H
#define CELLSCAN_COMMANDS_H

int cmd_info(int argc, char **argv);
int cmd_spectrum(int argc, char **argv);
int cmd_scan(int argc, char **argv);
int cmd_synth(int argc, char **argv);

#endif
