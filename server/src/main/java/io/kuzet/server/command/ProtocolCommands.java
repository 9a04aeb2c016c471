package io.kuzet.server.command;

import io.kuzet.protocol.kuzet.KuzetCommands;
import io.kuzet.server.journal.Protocol;
import java.util.List;

/**
 * How each protocol says each {@link CommandKind} (docs/commands.md has the table). A kind a protocol has no frame
 * for has no encoding: the command ends UNSUPPORTED without being sent.
 *
 * <ul>
 *   <li>Kuzet v1: COMMAND codes 1 SET_REPORTING_INTERVAL, 2 REQUEST_POSITION, 3 VIBRATE, 5 REQUEST_STATUS
 *       (docs/protocol.md §5); answered by COMMAND_RESULT with the command id.</li>
 *   <li>GT06 (Concox online command 0x80): {@code TIMER,<s>#}, {@code WHERE#}, {@code STATUS#}; the bracelet-less
 *       vehicle trackers cannot vibrate. Answered by 0x21/0x15 echoing the id as server flag.</li>
 *   <li>Watch (SeTracker words): {@code UPLOAD,<s>}, {@code CR}, {@code FIND} (the watch rings: the closest to a
 *       vibration); no status query. Answered by a frame named after the command word.</li>
 * </ul>
 */
public final class ProtocolCommands {
    /** What goes on the wire for one command. */
    public record Encoding(int kuzetCode, String text) {
    }

    private ProtocolCommands() {
    }

    /** The encoding of {@code kind} for {@code protocol}, or null when the protocol cannot do it. */
    public static Encoding of(Protocol protocol, CommandKind kind, long argument) {
        return switch (protocol) {
            case KUZET -> switch (kind) {
                case SET_REPORTING_INTERVAL -> new Encoding(KuzetCommands.SET_REPORTING_INTERVAL, "SET_REPORTING_INTERVAL " + argument);
                case LOCATE_NOW -> new Encoding(KuzetCommands.REQUEST_POSITION, "REQUEST_POSITION");
                case VIBRATE -> new Encoding(KuzetCommands.VIBRATE, "VIBRATE " + argument);
                case REQUEST_STATUS -> new Encoding(KuzetCommands.REQUEST_STATUS, "REQUEST_STATUS");
            };
            case GT06 -> switch (kind) {
                case SET_REPORTING_INTERVAL -> new Encoding(0, "TIMER," + argument + "#");
                case LOCATE_NOW -> new Encoding(0, "WHERE#");
                case REQUEST_STATUS -> new Encoding(0, "STATUS#");
                case VIBRATE -> null;
            };
            case WATCH -> switch (kind) {
                case SET_REPORTING_INTERVAL -> new Encoding(0, "UPLOAD," + argument);
                case LOCATE_NOW -> new Encoding(0, "CR");
                case VIBRATE -> new Encoding(0, "FIND");
                case REQUEST_STATUS -> null;
            };
        };
    }

    /** Whether a device of the registry's {@code protocol} ("kuzet", "gt06", "watch") can be sent {@code kind}. */
    public static boolean supports(String protocol, CommandKind kind) {
        for (Protocol p : Protocol.values()) {
            if (p.label().equals(protocol)) {
                return of(p, kind, 1) != null;
            }
        }
        return false;
    }

    /** The kinds a Watch answer word confirms ({@code UPLOAD}, {@code CR}, {@code FIND}). */
    public static List<CommandKind> watchKindsAnsweredBy(String word) {
        return switch (word) {
            case "UPLOAD" -> List.of(CommandKind.SET_REPORTING_INTERVAL);
            case "CR" -> List.of(CommandKind.LOCATE_NOW);
            case "FIND" -> List.of(CommandKind.VIBRATE);
            default -> List.of();
        };
    }

    /** Why {@code argument} is not acceptable for {@code kind}, or null when it is. */
    public static String argumentProblem(CommandKind kind, long argument) {
        return switch (kind) {
            case SET_REPORTING_INTERVAL -> argument < 5 || argument > 86_400
                    ? "the reporting interval must be 5..86400 seconds" : null;
            case VIBRATE -> argument < 100 || argument > 30_000 ? "the vibration must last 100..30000 ms" : null;
            case LOCATE_NOW, REQUEST_STATUS -> null;
        };
    }
}
