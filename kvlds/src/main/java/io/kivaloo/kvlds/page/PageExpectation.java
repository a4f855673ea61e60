package io.kivaloo.kvlds.page;

import io.kivaloo.proto.kvlds.Key;

/**
 * What a parent says about a child page before it is read: the child's
 * height, key range and descriptor fields. A page fetched from lbs must match
 * it, which catches a descriptor pointing at the wrong block.
 *
 * @param parentBlock the parent's block; the child must be older (smaller). For a
 *                    parent not yet written, the next block of the log.
 * @param height      the parent's height minus one
 * @param low         smallest key the child may hold, null for no bound
 * @param high        every key of the child is below it, null for no bound
 * @param oldestLeaf  the descriptor's oldest-leaf field
 * @param size        the descriptor's page-size field
 */
public record PageExpectation(long parentBlock, int height, Key low, Key high, long oldestLeaf, int size) {
}
