package io.kuzet.server.command;

/** Who asked for a command: an operator through the API, or the evaluation core's adaptive supervision. */
public enum CommandOrigin {
    OPERATOR,
    SUPERVISION
}
