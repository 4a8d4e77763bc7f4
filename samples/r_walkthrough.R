#!/usr/bin/env Rscript
# R walkthrough: sqlite-fin from R with DBI and RSQLite
# (Debian: apt-get install r-cran-rsqlite; elsewhere install.packages("RSQLite")).
#
#     Rscript samples/r_walkthrough.R [path/to/fin]
#
# Connects with extension loading enabled, loads the extension with SQL's
# load_extension(), loads the sample CSV into sql/schema.sql's prices table,
# and asks questions whose answers come back as data.frames, the series and
# the symbol passed as bound parameters.
suppressPackageStartupMessages(library(DBI))

script <- sub("^--file=", "", grep("^--file=", commandArgs(FALSE), value = TRUE)[1])
root <- dirname(dirname(normalizePath(script)))
args <- commandArgs(trailingOnly = TRUE)
lib <- if (length(args) > 0) args[1] else Sys.getenv("FIN_LIB", file.path(root, "dist", "fin"))

# loadable.extensions = TRUE (RSQLite's default, written out here) switches
# on sqlite3_enable_load_extension for the connection's whole life: the C
# call and the SQL function load_extension() alike. RSQLite has no public
# call to load an arbitrary extension nor to switch loading off again, so
# this connection should not run SQL from untrusted hands.
con <- dbConnect(RSQLite::SQLite(), ":memory:", loadable.extensions = TRUE)
# The file name without its suffix: SQLite adds .so, .dylib or .dll.
invisible(dbGetQuery(con, "SELECT load_extension(?)", params = list(lib)))
v <- dbGetQuery(con, "SELECT fin_version() AS fin, sqlite_version() AS sqlite")
cat(sprintf("fin %s on SQLite %s (RSQLite %s)\n", v$fin, v$sqlite, packageVersion("RSQLite")))

# The schema: RSQLite runs one statement per call, so the file is split on
# the semicolons that end its statements, after its -- comments (which hold
# semicolons of their own) are cut off.
sql <- gsub("--[^\n]*", "", paste(readLines(file.path(root, "sql", "schema.sql")), collapse = "\n"))
for (stmt in trimws(strsplit(sql, ";", fixed = TRUE)[[1]])) {
  if (nzchar(stmt)) dbExecute(con, stmt)
}

# The vendor CSV (Date,Open,High,Low,Close,Adj Close,Volume) into prices.
# Dates stay text (YYYY-MM-DD, as the schema checks); prices are REAL.
csv <- read.csv(file.path(root, "samples", "data", "SMALL.csv"),
                colClasses = c("character", rep("numeric", 5), "integer"))
bars <- data.frame(symbol = "SMALL", date = csv$Date, open = csv$Open, high = csv$High,
                   low = csv$Low, close = csv$Close, adj_close = csv$Adj.Close, volume = csv$Volume)
n <- dbAppendTable(con, "prices", bars)
cat("loaded", n, "rows\n\n")

show <- function(title, df) {
  cat(title, "\n", sep = "")
  print(df, row.names = FALSE)
  cat("\n")
}

# Each answer is a data.frame, one column per result column.
show("Deepest drawdowns (the symbol is a bound parameter):", dbGetQuery(con,
  "SELECT peak_time, trough_time, recovery_time, round(depth, 4) AS depth, length
   FROM fin_drawdowns('closes', 0.15) WHERE key = ? ORDER BY depth LIMIT 3",
  params = list("SMALL")))

show("Runs of 4+ sessions with gains of at least 1%, and the month after:", dbGetQuery(con,
  "SELECT s.start_time, s.end_time, s.length, round(s.total_return, 4) AS total_return,
          round(f.forward_return, 4) AS next_month
   FROM fin_streaks('closes', 0.01, 4) s
   LEFT JOIN fin_forward_returns('closes', 21) f ON f.key = s.key AND f.event_time = s.end_time
   WHERE s.key = ? ORDER BY s.start_time", params = list("SMALL")))

show("Year to date and the 5-session return, as window functions:", dbGetQuery(con,
  "SELECT date, close, round(fin_ytd_return(date, close) OVER w, 4) AS ytd,
          round(fin_rolling_return(close, 5) OVER w, 4) AS r5
   FROM prices WHERE symbol = ? WINDOW w AS (ORDER BY date) ORDER BY date DESC LIMIT 1",
  params = list("SMALL")))

# From here on it is R: calendar-year returns as a data.frame, its dates as
# Date, the best and the worst complete year picked out with which.max and
# which.min. The first year has no earlier close (partial = 1) and the last
# one runs to the latest date (year to date), so both are left out there.
years <- dbGetQuery(con,
  "SELECT period AS year, end_time, period_return, partial FROM fin_calendar_returns(?, 'year')
   WHERE key = ?", params = list("closes", "SMALL"))
years$end_time <- as.Date(years$end_time)
show("Calendar-year returns:",
     transform(years, return_pct = round(100 * period_return, 1), period_return = NULL))
full <- years[years$partial == 0 & years$end_time < max(years$end_time), ]
cat(sprintf("complete years %s to %s: best %s (%+.1f%%), worst %s (%+.1f%%); %s to date %+.1f%% (to %s)\n",
            min(full$year), max(full$year),
            full$year[which.max(full$period_return)], 100 * max(full$period_return),
            full$year[which.min(full$period_return)], 100 * min(full$period_return),
            years$year[nrow(years)], 100 * years$period_return[nrow(years)],
            format(max(years$end_time), "%d %b %Y")))

dbDisconnect(con)
