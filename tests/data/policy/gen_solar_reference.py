#!/usr/bin/python3
"""Generates solar_reference.csv: reference sunrise/sunset/civil twilight times
for the astro clock tests, from two independent implementations:

- astral 1.6 (Debian python3-astral): the NOAA Solar Calculator equations,
  the accuracy target of the astro clock (+-1 min);
- PyEphem 4.1 (Debian python3-ephem): libastro's VSOP87 ephemeris, a
  cross-check that shares no code with the NOAA series.

Columns: label, latitude, longitude, local date, event, astral UTC, ephem UTC;
"none" where the library says the event does not occur that day.
Run:  /usr/bin/python3 gen_solar_reference.py > solar_reference.csv
"""
import datetime

import astral
import ephem

SITES = [("bastad", 56.4296, 12.8532), ("kiruna", 67.85, 20.22)]
# Every day of 2025, plus Europe/Stockholm DST change days 2026 and a leap day.
SPECIAL = ["2025-03-20", "2025-03-30", "2025-03-31", "2025-06-21", "2025-09-22",
           "2025-10-26", "2025-10-27", "2025-12-21", "2026-03-29", "2026-10-25",
           "2025-05-20", "2025-05-31", "2025-07-20", "2025-07-25", "2025-12-05",
           "2025-12-12", "2026-01-02", "2026-01-08", "2024-02-29"]
EVENTS = ["civil_dawn", "sunrise", "sunset", "civil_dusk"]


def astral_time(a, day, lat, lon, event):
    try:
        if event == "sunrise":
            t = a.sunrise_utc(day, lat, lon)
        elif event == "sunset":
            t = a.sunset_utc(day, lat, lon)
        elif event == "civil_dawn":
            t = a.dawn_utc(day, lat, lon, depression=6)
        else:
            t = a.dusk_utc(day, lat, lon, depression=6)
    except astral.AstralError:
        return "none"
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


def ephem_time(day, lat, lon, event):
    obs = ephem.Observer()
    obs.lat, obs.lon = str(lat), str(lon)
    obs.pressure = 0  # refraction is in the horizon angle, as NOAA does
    obs.elevation = 0
    civil = event.startswith("civil")
    obs.horizon = "-6" if civil else "-0:50"  # centre of the sun at -0.833 deg
    obs.date = ephem.Date(datetime.datetime(day.year, day.month, day.day))
    sun = ephem.Sun()
    noon = obs.next_transit(sun)  # events of this solar day lie either side of it
    try:
        if event in ("sunrise", "civil_dawn"):
            t = obs.previous_rising(sun, start=noon, use_center=True)
        else:
            t = obs.next_setting(sun, start=noon, use_center=True)
    except (ephem.AlwaysUpError, ephem.NeverUpError):
        return "none"
    dt = ephem.Date(t).datetime()
    # Only an event of this solar day counts (ephem searches further).
    if abs((dt - ephem.Date(noon).datetime()).total_seconds()) > 12 * 3600:
        return "none"
    return (dt + datetime.timedelta(microseconds=500000)).strftime("%Y-%m-%dT%H:%M:%SZ")


def main():
    a = astral.Astral()
    days = {datetime.date.fromisoformat(d) for d in SPECIAL}
    d = datetime.date(2025, 1, 1)
    while d.year == 2025:
        days.add(d)
        d += datetime.timedelta(days=1)
    print("label,latitude,longitude,date,event,astral_utc,ephem_utc")
    for label, lat, lon in SITES:
        for day in sorted(days):
            for event in EVENTS:
                print(f"{label},{lat},{lon},{day.isoformat()},{event},"
                      f"{astral_time(a, day, lat, lon, event)},{ephem_time(day, lat, lon, event)}")


if __name__ == "__main__":
    main()
