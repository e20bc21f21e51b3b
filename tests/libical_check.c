/* Reads .ics files with libical, as Evolution and other libical clients do.
 *
 * For each file named on the command line it prints:
 *   file PATH
 *   valid 1|0            icalrestriction_check(): RFC 5545 and iTIP (RFC 5546) restrictions
 *   error TEXT           every X-LIC-ERROR libical attached while parsing or checking
 *   event UID START END  each VEVENT's DTSTART and DTEND as seconds since 1970 (UTC),
 *                        converted with the VTIMEZONE the file carries for the TZID
 * Compiled by a fixture in tests/core/test_ical_itip.py.
 */
#include <libical/ical.h>
#include <stdio.h>
#include <stdlib.h>

static char *read_file(const char *path)
{
    FILE *file = fopen(path, "rb");
    if (!file)
        return NULL;
    fseek(file, 0, SEEK_END);
    long size = ftell(file);
    fseek(file, 0, SEEK_SET);
    char *data = malloc((size_t)size + 1);
    if (data && fread(data, 1, (size_t)size, file) != (size_t)size) {
        free(data);
        data = NULL;
    }
    if (data)
        data[size] = '\0';
    fclose(file);
    return data;
}

static void print_errors(icalcomponent *component)
{
    for (icalproperty *p = icalcomponent_get_first_property(component, ICAL_XLICERROR_PROPERTY);
         p; p = icalcomponent_get_next_property(component, ICAL_XLICERROR_PROPERTY)) {
        printf("error %s: %s\n", icalcomponent_kind_to_string(icalcomponent_isa(component)),
               icalproperty_get_xlicerror(p));
    }
    for (icalcomponent *c = icalcomponent_get_first_component(component, ICAL_ANY_COMPONENT);
         c; c = icalcomponent_get_next_component(component, ICAL_ANY_COMPONENT)) {
        print_errors(c);
    }
}

static long long utc_seconds(struct icaltimetype t)
{
    return (long long)icaltime_as_timet_with_zone(t, t.zone);
}

int main(int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        printf("file %s\n", argv[i]);
        char *text = read_file(argv[i]);
        icalcomponent *calendar = text ? icalparser_parse_string(text) : NULL;
        free(text);
        if (!calendar) {
            printf("error cannot parse\n");
            continue;
        }
        printf("valid %d\n", icalrestriction_check(calendar));
        print_errors(calendar);
        for (icalcomponent *e = icalcomponent_get_first_component(calendar, ICAL_VEVENT_COMPONENT);
             e; e = icalcomponent_get_next_component(calendar, ICAL_VEVENT_COMPONENT)) {
            printf("event %s %lld %lld\n", icalcomponent_get_uid(e),
                   utc_seconds(icalcomponent_get_dtstart(e)),
                   utc_seconds(icalcomponent_get_dtend(e)));
        }
        icalcomponent_free(calendar);
    }
    return 0;
}
