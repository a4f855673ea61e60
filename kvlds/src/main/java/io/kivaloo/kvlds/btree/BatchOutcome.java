package io.kivaloo.kvlds.btree;

/**
 * What a finished batch reports.
 *
 * @param statuses     one status per request, in request order
 * @param pagesWritten pages the batch appended (0 when nothing changed)
 * @param repaid       cleaning debt repaid by the clean pages the batch rewrote (kvlds.md §10.3)
 */
public record BatchOutcome(int[] statuses, int pagesWritten, double repaid) {
}
