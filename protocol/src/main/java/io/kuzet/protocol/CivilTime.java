package io.kuzet.protocol;

/**
 * Converts the calendar fields that text and BCD-style protocols send (year, month, day, hour, minute, second)
 * to epoch milliseconds and back, validating them on the way in.
 *
 * <p>Stateless and thread-safe; the conversion is a few integer operations and allocates nothing, which is why
 * decoders use it instead of {@code java.time} on the hot path.
 */
public final class CivilTime {
    private static final long MS_PER_DAY = 86_400_000L;

    private CivilTime() {
    }

    /**
     * Epoch milliseconds (UTC) of the given calendar fields.
     *
     * @throws ProtocolException {@link DecodeError#TIME_OUT_OF_RANGE} when a field is impossible (month 13, 31 April,
     *                           hour 24, ...) or the year is outside 2000..2099
     */
    public static long toEpochMs(int year, int month, int day, int hour, int minute, int second) {
        if (year < 2000 || year > 2099 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)
                || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) {
            throw new ProtocolException(DecodeError.TIME_OUT_OF_RANGE, "impossible date/time " + year + '-' + month + '-'
                    + day + ' ' + hour + ':' + minute + ':' + second);
        }
        return daysFromCivil(year, month, day) * MS_PER_DAY + ((hour * 60L + minute) * 60L + second) * 1000L;
    }

    static int daysInMonth(int year, int month) {
        return switch (month) {
            case 2 -> (year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)) ? 29 : 28;
            case 4, 6, 9, 11 -> 30;
            default -> 31;
        };
    }

    /** Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's days_from_civil). */
    static long daysFromCivil(int year, int month, int day) {
        int y = month <= 2 ? year - 1 : year;
        int era = Math.floorDiv(y, 400);
        int yearOfEra = y - era * 400;
        int dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
        int dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear;
        return era * 146_097L + dayOfEra - 719_468L;
    }

    /**
     * Splits epoch milliseconds (UTC) into calendar fields, written into {@code fields} as
     * {year, month, day, hour, minute, second}. Used by the device-side encoders.
     */
    public static void fromEpochMs(long epochMs, int[] fields) {
        long days = Math.floorDiv(epochMs, MS_PER_DAY);
        long secondOfDay = Math.floorMod(epochMs, MS_PER_DAY) / 1000;
        long z = days + 719_468L;
        long era = Math.floorDiv(z, 146_097L);
        long dayOfEra = z - era * 146_097L;
        long yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365;
        long dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100);
        long mp = (5 * dayOfYear + 2) / 153;
        int day = (int) (dayOfYear - (153 * mp + 2) / 5 + 1);
        int month = (int) (mp < 10 ? mp + 3 : mp - 9);
        int year = (int) (yearOfEra + era * 400 + (month <= 2 ? 1 : 0));
        fields[0] = year;
        fields[1] = month;
        fields[2] = day;
        fields[3] = (int) (secondOfDay / 3600);
        fields[4] = (int) (secondOfDay / 60 % 60);
        fields[5] = (int) (secondOfDay % 60);
    }
}
