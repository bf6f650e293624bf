// A stub: flashgen only looks for this file to know a Quartz site.
