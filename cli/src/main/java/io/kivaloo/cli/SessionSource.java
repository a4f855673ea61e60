package io.kivaloo.cli;

import io.kivaloo.proto.net.KivalooAddress;

import java.time.Duration;

/**
 * Where a command gets its connection: a new one for each run of
 * kivaloo-cli ({@link Session#open}), or the one the prompt keeps open
 * across its commands ({@link PromptConnection}). Either way the command
 * closes what it gets when it is done.
 */
@FunctionalInterface
interface SessionSource {

    /** A new connection for every command: what a one-shot run uses. */
    SessionSource NEW_CONNECTION = Session::open;

    /** A session to {@code address} whose connection attempt and answers each have {@code timeout}. */
    Session session(KivalooAddress address, Duration timeout) throws ServerFailureException;
}
