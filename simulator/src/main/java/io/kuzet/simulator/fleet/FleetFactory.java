package io.kuzet.simulator.fleet;

import io.kuzet.simulator.device.DeviceKeys;
import io.kuzet.simulator.gps.AccuracyReporting;
import io.kuzet.simulator.gps.GeoPoint;
import io.kuzet.simulator.gps.SkyView;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Generates a reproducible fleet from a seed: subjects living in residential districts of Almaty and Astana,
 * commuting on weekdays by foot, bus or car, running errands, at home at night. Every subject has an exclusion zone
 * (a victim's home, 200 m; for 40 % of them it sits just beside the daily commute, the near-miss that makes naive
 * geofencing noisy); half are on a curfew order (inside 150 m of home from 22:00 to 06:00). Planned violations
 * (a visit to the victim's home, a night out during curfew) are drawn per subject-day. Stateless apart from the
 * settings; each {@link #create} is independent. Cost: O(subjects × days) small objects.
 */
public final class FleetFactory {
    /** First subject id; subject i has id {@code FIRST_SUBJECT_ID + i}. */
    public static final long FIRST_SUBJECT_ID = 10_000;
    /** Bracelet number of subject i is {@code FIRST_BRACELET_NUMBER + i}. */
    public static final long FIRST_BRACELET_NUMBER = 700_100_000L;
    public static final double EXCLUSION_RADIUS_METRES = 200;
    public static final double CURFEW_RADIUS_METRES = 150;

    private final long seed;
    private double exclusionVisitPerDay = 0.15;
    private double curfewBreachPerDay = 0.10;
    private double optimisticShare = 0.3;

    public FleetFactory(long seed) {
        this.seed = seed;
    }

    /** Probability per subject-day of a planned visit to the victim's home (an exclusion violation). */
    public FleetFactory exclusionVisitPerDay(double p) {
        this.exclusionVisitPerDay = p;
        return this;
    }

    /** Probability per curfew-subject-day of a planned night out during curfew. */
    public FleetFactory curfewBreachPerDay(double p) {
        this.curfewBreachPerDay = p;
        return this;
    }

    /** Share of bracelets whose receivers report optimistic accuracy. */
    public FleetFactory optimisticShare(double share) {
        this.optimisticShare = share;
        return this;
    }

    public Fleet create(int subjects, long startMs, int days) {
        List<SimSubject> list = new ArrayList<>(subjects);
        for (int i = 0; i < subjects; i++) {
            list.add(subject(i, startMs, days));
        }
        return new Fleet(seed, startMs, startMs + days * 86_400_000L, List.copyOf(list));
    }

    private SimSubject subject(int index, long startMs, int days) {
        SplittableRandom random = new SplittableRandom(seed * 1_000_003L + index);
        City city = index % 3 == 2 ? City.ASTANA : City.ALMATY;
        GeoPoint home = pick(random, city.places(PlaceKind.RESIDENTIAL)).point()
                .offsetMetres(random.nextDouble(-1200, 1200), random.nextDouble(-1200, 1200));
        Place workPlace = pick(random, city.places(PlaceKind.WORK));
        GeoPoint work = workPlace.point().offsetMetres(random.nextDouble(-300, 300), random.nextDouble(-300, 300));
        TravelMode mode = TravelMode.values()[random.nextInt(TravelMode.values().length)];
        long subjectId = FIRST_SUBJECT_ID + index;
        long zoneBase = subjectId * 10;

        GeoPoint victimHome;
        List<GeoPoint> commute = RoutineBuilder.streetPath(home, work);
        if (random.nextDouble() < 0.4) {
            GeoPoint mid = commute.get(0).towards(commute.get(1), 0.5);
            double gap = EXCLUSION_RADIUS_METRES + random.nextDouble(40, 120);
            victimHome = mid.offsetMetres(0, random.nextBoolean() ? gap : -gap);
        } else {
            double bearing = random.nextDouble(2 * Math.PI);
            double distance = random.nextDouble(2000, 5000);
            victimHome = home.offsetMetres(distance * Math.sin(bearing), distance * Math.cos(bearing));
        }
        List<ZoneSpec> zones = new ArrayList<>();
        zones.add(new ZoneSpec(zoneBase + 1, zoneBase + 1, "Victim home (" + city.displayName() + ")", ZoneSpec.RuleKind.EXCLUSION,
                victimHome, EXCLUSION_RADIUS_METRES, null, null));
        boolean curfew = random.nextBoolean();
        if (curfew) {
            zones.add(new ZoneSpec(zoneBase + 2, zoneBase + 2, "Home (curfew)", ZoneSpec.RuleKind.CURFEW, home, CURFEW_RADIUS_METRES,
                    LocalTime.of(22, 0), LocalTime.of(6, 0)));
        }
        SimSubject.Risk risk = SimSubject.Risk.values()[random.nextInt(3)];
        AccuracyReporting reporting = random.nextDouble() < optimisticShare ? AccuracyReporting.OPTIMISTIC : AccuracyReporting.HONEST;

        List<String> planned = new ArrayList<>();
        RoutineBuilder r = new RoutineBuilder(startMs, home, random, 0.2);
        LocalDate firstDay = Instant.ofEpochMilli(startMs).atZone(city.timeZone()).toLocalDate();
        for (int d = 0; d <= days; d++) {
            LocalDate day = firstDay.plusDays(d);
            boolean weekend = day.getDayOfWeek() == DayOfWeek.SATURDAY || day.getDayOfWeek() == DayOfWeek.SUNDAY;
            if (!weekend) {
                r.stayUntil(at(day, city, 7, 0) + random.nextLong(90 * 60_000L), SkyView.INDOOR, "home");
                r.travelTo(work, mode, "commute to " + workPlace.name());
                r.stayUntil(at(day, city, 17, 30) + random.nextLong(90 * 60_000L), SkyView.INDOOR, "work at " + workPlace.name());
            } else {
                r.stayUntil(at(day, city, 11, 0) + random.nextLong(120 * 60_000L), SkyView.INDOOR, "home");
            }
            if (random.nextDouble() < exclusionVisitPerDay) {
                planned.add("exclusion visit " + day);
                r.travelTo(victimHome.offsetMetres(random.nextDouble(-30, 30), random.nextDouble(-30, 30)), mode, "to victim's home");
                r.stayFor(5 * 60_000L + random.nextLong(15 * 60_000L), SkyView.URBAN, "at victim's home");
            } else if (random.nextDouble() < 0.5) {
                Place errand = pick(random, city.places(PlaceKind.ERRAND));
                r.travelTo(errand.point(), mode, "errand to " + errand.name());
                r.stayFor(20 * 60_000L + random.nextLong(40 * 60_000L), SkyView.URBAN, "at " + errand.name());
            }
            r.travelTo(home, mode, "way home");
            if (curfew && random.nextDouble() < curfewBreachPerDay) {
                planned.add("curfew breach " + day);
                r.stayUntil(at(day, city, 22, 30) + random.nextLong(30 * 60_000L), SkyView.INDOOR, "home");
                Place errand = pick(random, city.places(PlaceKind.ERRAND));
                r.travelTo(errand.point(), TravelMode.CAR, "night out to " + errand.name());
                r.stayFor(15 * 60_000L + random.nextLong(30 * 60_000L), SkyView.URBAN, "at " + errand.name() + " after curfew");
                r.travelTo(home, TravelMode.CAR, "way home after curfew");
            }
            r.stayUntil(at(day.plusDays(1), city, 0, 0), SkyView.INDOOR, "home");
        }
        byte[] key = DeviceKeys.derive(FIRST_BRACELET_NUMBER + index);
        return new SimSubject(subjectId, "KZ-SIM-" + subjectId, "Subject " + subjectId, city, risk, FIRST_BRACELET_NUMBER + index, key,
                reporting, risk.reportingIntervalS(), List.copyOf(zones), r.build(), List.copyOf(planned));
    }

    private static long at(LocalDate day, City city, int hour, int minute) {
        return ZonedDateTime.of(day, LocalTime.of(hour, minute), city.timeZone()).toInstant().toEpochMilli();
    }

    private static <T> T pick(SplittableRandom random, List<T> list) {
        return list.get(random.nextInt(list.size()));
    }
}
