/* cellscan: find and characterise cellular transmitters in IQ recordings. */
#include <stdio.h>
#include <string.h>

#include "cellscan/status.h"
#include "commands.h"

typedef struct command {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *summary;
} command;

static const command commands[] = {
    { "info", cmd_info, "describe recordings: format, rate, centre, captures, signal statistics" },
    { "spectrum", cmd_spectrum, "averaged spectrum and power per ARFCN/UARFCN/bin, occupied channels" },
    { "scan", cmd_scan, "find and measure cells (UMTS: PSC, RSCP, Ec/Io, frequency, timing)" },
    { "synth", cmd_synth, "generate a GSM/UMTS recording with known truth (SigMF + truth.json)" },
};

static void usage(FILE *fp)
{
    fprintf(fp, "usage: cellscan COMMAND [OPTIONS] FILE...\n\n"
                "Find and characterise GSM and UMTS transmitters in IQ recordings "
                "(SigMF or raw).\n\nCommands:\n");
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        fprintf(fp, "  %-10s %s\n", commands[i].name, commands[i].summary);
    fprintf(fp, "\n'cellscan COMMAND --help' describes a command. --version prints the version.\n");
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return 2;
    }
    if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
        usage(stdout);
        return 0;
    }
    if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "-V")) {
        printf("cellscan %s\n", cs_version());
        return 0;
    }
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (!strcmp(argv[1], commands[i].name)) return commands[i].run(argc - 1, argv + 1);
    fprintf(stderr, "cellscan: %s: unknown command (see 'cellscan --help')\n", argv[1]);
    return 2;
}
