/* A power-cut VFS for tests: wraps the default unix VFS and remembers, per
 * file, what was written since its last xSync. At the chosen write or sync
 * it "cuts the power": from then on nothing reaches the disk, and once every
 * file is closed crashvfs_settle() puts each file back to what a disk would
 * hold after the cut: its synced image plus, at random, some of the
 * unsynced writes (each whole, lost, or torn at a 512-byte sector), in
 * the spirit of SQLite's own crash tests (src/test6.c). */
#ifndef WUSHE_CRASHVFS_H
#define WUSHE_CRASHVFS_H

#include <stdbool.h>
#include <stdint.h>

/* Register the shim as the default VFS (the model opens with NULL). */
int crashvfs_install(void);
/* Forget every file; cut the power at the `at`-th write, sync or truncate
 * from now (0: never); tear: unsynced writes may be cut at a sector. */
void crashvfs_arm(uint64_t at, bool tear, uint64_t seed);
/* A disk that says it synced and did not (a check of the checks: the
 * power-cut test must then find lost or corrupt data). */
void crashvfs_lie(bool lying);
/* Writes, syncs and truncates counted since crashvfs_arm. */
uint64_t crashvfs_ops(void);
/* Whether the power was cut. */
bool crashvfs_crashed(void);
/* Files still open through the shim. */
int crashvfs_open_files(void);
/* After a cut, with every file closed: write what survived to the disk.
 * Returns 0, or -1 when a file could not be written. */
int crashvfs_settle(void);

#endif
