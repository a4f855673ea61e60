package io.kivaloo.kvlds.btree;

import io.kivaloo.kvlds.page.Page;

/**
 * What a batch's sync phase produced: its pages, numbered from
 * {@code firstBlock}, the root last, as checked pages and as the blocks of the
 * one APPEND that makes them durable. Immutable once built: a pipelined next
 * batch reads these pages while the APPEND is at lbs.
 *
 * @param firstBlock block number of the first page
 * @param blocks     the pages' bytes, one block each: the same arrays the pages parse
 * @param pages      the same pages, parsed and checked; the root last
 */
record WrittenPages(long firstBlock, byte[][] blocks, Page[] pages) {

    int count() {
        return pages.length;
    }

    /** The log's next block once these pages are appended. */
    long end() {
        return firstBlock + pages.length;
    }

    Page root() {
        return pages[pages.length - 1];
    }
}
