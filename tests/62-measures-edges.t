#!/bin/sh
# The measures on hand-worked numbers, their edges and every error message.
#
#  p (t = 0, 100, NULL at 150, 200, 300, 600, 730.5 days):
#     100, 110, NULL, 99, 108.9, 87.12, 104.544
#  returns (the NULL row is spanned): .1, -.1, .1, -.2, .2; mean .02;
#  deviations .08, -.12, .08, -.22, .18: M2 = .108, M3 = -.00552, M4 = .0036816.
#   skewness, population: sqrt(5) M3 / M2^1.5 = -0.347767; sample: x sqrt(5*4)/3 = -0.518421
#   excess kurtosis, population: 5 M4 / M2^2 - 3 = -1.421811;
#     sample: (6*5*4)/(3*2) M4 / M2^2 - 3*16/(3*2) = -1.687243
#   VaR 80%, historical: sorted -.2 -.1 .1 .1 .2, rank 4 * .2 = .8: -.2 + .8 * .1 = -0.12;
#     CVaR: the mean of ranks 0..floor(.8) = -0.2
#   gaussian 80%: z = -0.841621, population sd sqrt(.108 / 5) = 0.146969:
#     VaR .02 + z sd = -0.103693; CVaR .02 - sd phi(z) / .2 = -0.185729
#   gains .4 in 3, losses .3 in 2: Omega = profit factor = 4/3, win rate .6,
#     payoff (.4/3) / (.3/2) = 0.888889; best .2, worst -.2
#   Omega at 21% a year over 2 periods a year: 10% a period; returns less it:
#     0, -.2, 0, -.3, .1: .1 / .5 = 0.2
#  running high 100, 110 (from the second price on): drawdowns 0, 0, -.1, -.01,
#     -.208, -.0496: Ulcer sqrt((.01 + .0001 + .043264 + .00246016) / 5) = 0.105664;
#     pain (.1 + .01 + .208 + .0496) / 5 = 0.07352; max drawdown -.208
#   recovery factor .04544 / .208 = 0.218462; Calmar over 730.5 days (2 years):
#     (sqrt(1.04544) - 1) / .208 = 0.108017
#  warm-up: 2 returns .1, -.1: population skewness 0, kurtosis 2 * .0002 / .02^2 - 3 = -2;
#   3 returns (.1, -.1, .1; deviations 2, -4, 2 thirtieths): g = M3 / M2^1.5 = -0.408248,
#     population sqrt(3) g = -0.707107, sample 3 sqrt(2) g = -1.732051; kurtosis 3 * .5 - 3 = -1.5;
#   4 returns (-.2 added; deviations .125, -.075, .125, -.175): M2 = .0675, M3 = -.001875,
#     M4 = .0014578125: skewness 2 g = -0.213833 and 2 sqrt(3) g = -0.37037; kurtosis
#     4 M4 / M2^2 - 3 = -1.720165 and 30 M4 / M2^2 - 13.5 = -3.901235
#   under water since t = 100: 4 rows (NULL not counted), 630.5 days; the
#     longest episode is that one, still open.
. "$(dirname "$0")/lib.sh"
plan 45
SETUP="CREATE TABLE p(t REAL, price REAL);
INSERT INTO p VALUES (0, 100), (100, 110), (150, NULL), (200, 99), (300, 108.9), (600, 87.12), (730.5, 104.544);
CREATE TABLE q(t INTEGER, price REAL);
INSERT INTO q VALUES (0, 10), (1, 10), (2, 9), (3, 9.5), (4, 10), (5, 11), (6, 10.5), (30, 12);
CREATE TABLE s(t INTEGER, price REAL);
INSERT INTO s VALUES (1, 10), (2, 12), (3, 11), (4, 13), (5, 9), (6, 14);
CREATE TABLE c(d TEXT, v REAL);
INSERT INTO c VALUES ('2024-11-28', 100), ('2024-11-29', 101), ('2024-12-31', 110), ('2025-01-02', 99),
  ('2025-01-31', 104.5), ('2025-02-03', 95), ('2025-02-04', 120);"
P="(SELECT * FROM p ORDER BY t)"

check "skewness and excess kurtosis, sample (the default) and population" \
  "SELECT round(fin_skewness(price), 6), round(fin_skewness(price, 'population'), 6),
          round(fin_kurtosis(price), 6), round(fin_kurtosis(price, 'POPULATION'), 6) FROM $P;" \
  "-0.518421|-0.347767|-1.687243|-1.421811"
check "VaR and CVaR at 80%, historical (the default) and gaussian: returns, a loss negative" \
  "SELECT round(fin_var(price, 0.8), 6), round(fin_cvar(price, 0.8), 6), round(fin_var(price, 0.8, 'historical'), 6),
          round(fin_var(price, 0.8, 'gaussian'), 6), round(fin_cvar(price, 0.8, 'Gaussian'), 6) FROM $P;" \
  "-0.12|-0.2|-0.12|-0.103693|-0.185729"
check "Cornish-Fisher VaR and CVaR: the CVaR is never above the VaR" \
  "SELECT fin_cvar(price, 0.8, 'cornish-fisher') <= fin_var(price, 0.8, 'cornish-fisher'),
          fin_cvar(price, 0.99, 'cornish-fisher') <= fin_var(price, 0.99, 'cornish-fisher') FROM $P;" \
  "1|1"
check "Omega, profit factor, win rate, payoff ratio, best and worst return" \
  "SELECT round(fin_omega(price), 6), round(fin_profit_factor(price), 6), fin_win_rate(price),
          round(fin_payoff_ratio(price), 6), round(fin_best_return(price), 12), round(fin_worst_return(price), 12) FROM $P;" \
  "1.333333|1.333333|0.6|0.888889|0.2|-0.2"
check "Omega against an annual threshold compounded to the period's (21% a year, 2 periods: 10%)" \
  "SELECT round(fin_omega(price, 0.21, 2), 12) FROM $P;" "0.2"
check "tail ratio: |80% quantile| / |20% quantile| = .12 / .12 (ranks 3.2 and .8); 95%: .18 / .18" \
  "SELECT round(fin_tail_ratio(price, 0.8), 12), round(fin_tail_ratio(price), 12) FROM $P;" "1.0|1.0"
check "Ulcer and pain indices over the returns, recovery factor, Calmar over 2 years" \
  "SELECT round(fin_ulcer_index(price), 6), round(fin_pain_index(price), 6), round(fin_recovery_factor(price), 6),
          round(fin_calmar(t, price), 6) FROM $P;" \
  "0.105664|0.07352|0.218462|0.108017"
check "time under water: the current episode and the longest, in rows and in the times' units" \
  "SELECT fin_drawdown_length(price), fin_drawdown_days(t, price), fin_longest_drawdown_length(price),
          fin_longest_drawdown_days(t, price) FROM $P;" \
  "4|630.5|4|630.5"
check "the (time, price) forms order the rows themselves" \
  "SELECT round(fin_calmar(t, price), 6), fin_drawdown_days(t, price), fin_longest_drawdown_days(t, price)
   FROM (SELECT * FROM p ORDER BY price DESC);" \
  "0.108017|630.5|630.5"
check "episodes: a flat top is not one; the longest in rows (3: 10 at t=1 back at t=4) is not the longest in days (25: 11 at t=5 back at t=30)" \
  "SELECT fin_drawdown_length(price), fin_drawdown_days(t, price), fin_longest_drawdown_length(price),
          fin_longest_drawdown_days(t, price) FROM (SELECT * FROM q ORDER BY t);" \
  "0|0|3|25"
check "days are the difference of Julian days for ISO dates" \
  "SELECT fin_drawdown_days(d, v), fin_longest_drawdown_days(d, v)
   FROM (SELECT '2024-12-31' AS d, 100 AS v UNION ALL SELECT '2025-03-01', 90 UNION ALL SELECT '2025-03-03', 95);" \
  "62|62"
check "a sliding frame of 3 rows: the high leaves (t=5), or the next price is higher (t=4, 6)" \
  "SELECT t, quote(round(fin_ulcer_index(price) OVER w, 6)), fin_longest_drawdown_length(price) OVER w,
          fin_drawdown_length(price) OVER w, quote(round(fin_pain_index(price) OVER w, 6)) FROM s
   WINDOW w AS (ORDER BY t ROWS 2 PRECEDING);" \
  "1|NULL|0|0|NULL
2|0.0|0|0|0.0
3|0.058926|1|1|0.041667
4|0.058926|2|0|0.041667
5|0.217571|1|1|0.153846
6|0.217571|2|0|0.153846"
check "the frames of 3 rows are the plain aggregates of their rows" \
  "SELECT round(fin_ulcer_index(price), 6), fin_longest_drawdown_length(price) FROM (SELECT price FROM s WHERE t BETWEEN 3 AND 5 ORDER BY t);
   SELECT round(fin_ulcer_index(price), 6), fin_longest_drawdown_length(price) FROM (SELECT price FROM s WHERE t BETWEEN 4 AND 6 ORDER BY t);" \
  "0.217571|1
0.217571|2"
check "a frame of 4 rows with a NULL holds 3 prices, 2 returns" \
  "SELECT t, quote(round(fin_var(price, 0.8) OVER w, 6)), quote(round(fin_omega(price) OVER w, 6)), quote(round(fin_win_rate(price) OVER w, 6))
   FROM p WINDOW w AS (ORDER BY t ROWS 3 PRECEDING);" \
  "0.0|NULL|NULL|NULL
100.0|0.1|NULL|1.0
150.0|0.1|NULL|1.0
200.0|-0.06|1.0|0.5
300.0|-0.06|1.0|0.5
600.0|-0.14|0.5|0.5
730.5|-0.08|1.5|0.666667"
check "no rows: NULL from every measure" \
  "SELECT quote(fin_skewness(price)), quote(fin_var(price, 0.95)), quote(fin_cvar(price, 0.95, 'gaussian')), quote(fin_tail_ratio(price)),
          quote(fin_omega(price)), quote(fin_win_rate(price)), quote(fin_best_return(price)), quote(fin_ulcer_index(price)),
          quote(fin_calmar(t, price)), quote(fin_drawdown_length(price)), quote(fin_longest_drawdown_days(t, price)) FROM p WHERE 0;" \
  "NULL|NULL|NULL|NULL|NULL|NULL|NULL|NULL|NULL|NULL|NULL"
check "one price: no return, NULL; the time under water is 0" \
  "SELECT quote(fin_kurtosis(price)), quote(fin_var(price, 0.95)), quote(fin_profit_factor(price)), quote(fin_ulcer_index(price)),
          quote(fin_recovery_factor(price)), quote(fin_calmar(t, price)), fin_drawdown_length(price), fin_drawdown_days(t, price),
          fin_longest_drawdown_length(price) FROM p WHERE t = 0;" \
  "NULL|NULL|NULL|NULL|NULL|NULL|0|0|0"
check "warm-up: sample skewness from 3 returns, sample kurtosis from 4, population from 2" \
  "SELECT n, quote(round(fin_skewness(price), 6)), quote(round(fin_skewness(price, 'population'), 6)),
          quote(round(fin_kurtosis(price), 6)), quote(round(fin_kurtosis(price, 'population'), 6))
   FROM (SELECT 2 AS n, t, price FROM p WHERE t <= 200 UNION ALL SELECT 3, t, price FROM p WHERE t <= 300
         UNION ALL SELECT 4, t, price FROM p WHERE t <= 600 ORDER BY n, t) GROUP BY n;" \
  "2|NULL|0.0|NULL|-2.0
3|-1.732051|-0.707107|NULL|-1.5
4|-0.37037|-0.213833|-3.901235|-1.720165"
check "a zero deviation (returns all exactly .5): no skewness, kurtosis or Cornish-Fisher VaR; the gaussian VaR is the mean" \
  "SELECT quote(fin_skewness(v)), quote(fin_kurtosis(v, 'population')), quote(fin_var(v, 0.95, 'cornish-fisher')),
          round(fin_var(v, 0.95, 'gaussian'), 12), round(fin_cvar(v, 0.95), 12)
   FROM (SELECT 100 AS v UNION ALL SELECT 150 UNION ALL SELECT 225 UNION ALL SELECT 337.5 UNION ALL SELECT 506.25);" \
  "NULL|NULL|NULL|0.5|0.5"
check "zero denominators: no loss (Omega, profit factor, payoff, recovery, Calmar), no return but 0 (win rate), a zero 5% quantile (tail ratio)" \
  "SELECT quote(fin_omega(v)), quote(fin_profit_factor(v)), quote(fin_payoff_ratio(v)), quote(fin_recovery_factor(v)),
          quote(fin_calmar(t, v)), fin_win_rate(v)
   FROM (SELECT 1 AS t, 100 AS v UNION ALL SELECT 2, 101 UNION ALL SELECT 3, 102);
   SELECT quote(fin_win_rate(v)), quote(fin_tail_ratio(v)), fin_best_return(v), fin_longest_drawdown_length(v)
   FROM (SELECT 100 AS v UNION ALL SELECT 100 UNION ALL SELECT 100);" \
  "NULL|NULL|NULL|NULL|NULL|1.0
NULL|NULL|0.0|0"
check "Omega needs 2 returns (empyrical's rule); the profit factor takes 1" \
  "SELECT quote(fin_omega(v)), fin_profit_factor(v) FROM (SELECT 100 AS v UNION ALL SELECT 90 UNION ALL SELECT 81);
   SELECT quote(fin_omega(v)), quote(fin_profit_factor(v)) FROM (SELECT 100 AS v UNION ALL SELECT 90);" \
  "0.0|0.0
NULL|0.0"
check "GROUP BY: one answer per key; EXCLUDE works (aggregates)" \
  "SELECT k, round(fin_ulcer_index(price), 6) FROM (SELECT 'a' AS k, t, price FROM p UNION ALL SELECT 'b', t, price * 3 FROM p ORDER BY k, t) GROUP BY k;
   SELECT t, fin_longest_drawdown_length(price) OVER (ORDER BY t ROWS BETWEEN 1 PRECEDING AND 1 FOLLOWING EXCLUDE CURRENT ROW) FROM s;" \
  "a|0.105664
b|0.105664
1|0
2|0
3|0
4|1
5|0
6|0"
# Calendar periods: each month's last close over the month before's: Nov 101, Dec 110,
# Jan 104.5, Feb 120 give .089109, -.05, .148325 (November has no base); years: 2024 110,
# 2025 120: .090909, and 2024 alone none. Over 3 rows a month counts while the close
# before it is in the frame, the month in progress to date (Jan 2: 99 / 110 - 1, Feb 3:
# 95 / 104.5 - 1).
check "calendar periods: the best and worst month and year" \
  "SELECT round(fin_best_return(d, v, 'month'), 6), round(fin_worst_return(d, v, 'MONTH'), 6),
          round(fin_best_return(d, v, 'year'), 6), round(fin_worst_return(d, v, 'year'), 6) FROM c;
   SELECT quote(fin_best_return(d, v, 'year')) FROM c WHERE d < '2025-01-01';" \
  "0.148325|-0.05|0.090909|0.090909
NULL"
check "calendar periods over a frame of 3 rows: a month needs the close before it in the frame" \
  "SELECT d, quote(round(fin_best_return(d, v, 'month') OVER w, 6)), quote(round(fin_worst_return(d, v, 'month') OVER w, 6))
   FROM c WINDOW w AS (ORDER BY d ROWS 2 PRECEDING);" \
  "2024-11-28|NULL|NULL
2024-11-29|NULL|NULL
2024-12-31|0.089109|0.089109
2025-01-02|0.089109|-0.1
2025-01-31|-0.05|-0.05
2025-02-03|-0.090909|-0.090909
2025-02-04|0.148325|0.148325"
check "numeric times: their difference, a REAL when it is not a whole number that fits" \
  "SELECT fin_drawdown_days(t, v), fin_longest_drawdown_days(t, v) FROM (SELECT -1e300 AS t, 100 AS v UNION ALL SELECT 1e300, 90);" \
  "2.0e+300|2.0e+300"
check_error "numeric times whose difference overflows" \
  "SELECT fin_drawdown_days(t, v) FROM (SELECT -1.7e308 AS t, 100 AS v UNION ALL SELECT 1.7e308, 90);" \
  "fin_drawdown_days(): the result is too large to represent (+Inf)"
check_error "a calendar period that is not one" \
  "SELECT fin_best_return(d, v, 'day') FROM c;" "fin_best_return(): period must be 'year', 'quarter', 'month' or 'week', got text 'day'"
check_error "the period must stay the same" \
  "SELECT fin_worst_return(d, v, iif(d < '2025-01-01', 'month', 'year')) FROM c;" \
  "fin_worst_return(): period must be the same for every row, got 'year' after 'month'"
check_error "calendar periods need dates: a number must be a Julian day" \
  "SELECT fin_worst_return(5, 100, 'month');" \
  "fin_worst_return(): time must be ISO-8601 text or a Julian day number (0001-01-01 to 9999-12-31), got 5"
check "every measure works inside a view under trusted_schema=OFF (deterministic, innocuous)" \
  "PRAGMA trusted_schema=OFF;
   CREATE VIEW m1 AS SELECT fin_skewness(price) a, fin_kurtosis(price, 'population') b, fin_var(price, 0.8) c,
     fin_cvar(price, 0.8, 'gaussian') d, fin_tail_ratio(price) e, fin_omega(price, 0.1) f, fin_win_rate(price) g,
     fin_profit_factor(price) h, fin_payoff_ratio(price) i, fin_best_return(price) j, fin_worst_return(price) k FROM p;
   CREATE VIEW m2 AS SELECT fin_calmar(t, price) a, fin_recovery_factor(price) b, fin_ulcer_index(price) c,
     fin_pain_index(price) d, fin_drawdown_length(price) e, fin_drawdown_days(t, price) f,
     fin_longest_drawdown_length(price) g, fin_longest_drawdown_days(t, price) h FROM p;
   CREATE VIEW m3 AS SELECT d, fin_best_return(d, v, 'month') OVER w a, fin_worst_return(d, v, 'week') OVER w b FROM c
     WINDOW w AS (ORDER BY d ROWS 2 PRECEDING);
   SELECT count(*) FROM m1 WHERE a IS NOT NULL AND k IS NOT NULL; SELECT count(*) FROM m2 WHERE h IS NOT NULL;
   SELECT count(*) FROM m3;" \
  "1
1
7"
check_error "level 0.05 for 95% is an error, not the other tail" \
  "SELECT fin_var(price, 0.05) FROM p;" "fin_var(): level must be a number > 0.5 and < 1 (0.95 for 95%), got 0.05"
check_error "level 1" \
  "SELECT fin_tail_ratio(price, 1) FROM p;" "fin_tail_ratio(): level must be a number > 0.5 and < 1 (0.95 for 95%), got 1"
check_error "level NULL" \
  "SELECT fin_cvar(price, NULL) FROM p;" "fin_cvar(): level must be a number > 0.5 and < 1 (0.95 for 95%), got NULL"
check_error "level as text" \
  "SELECT fin_var(price, '0.95') FROM p;" "fin_var(): level must be a number, got text '0.95'"
check_error "level must stay the same" \
  "SELECT fin_var(price, 0.9 + t / 1e4) FROM p;" "fin_var(): level must be the same for every row, got 0.91 after 0.9"
check_error "a method that does not exist" \
  "SELECT fin_var(price, 0.95, 'normal') FROM p;" "fin_var(): method must be 'historical', 'gaussian' or 'cornish-fisher', got text 'normal'"
check_error "a method given as a number" \
  "SELECT fin_cvar(price, 0.95, 3) FROM p;" "fin_cvar(): method must be 'historical', 'gaussian' or 'cornish-fisher', got 3"
check_error "a method must stay the same" \
  "SELECT fin_var(price, 0.95, iif(t < 200, 'historical', 'gaussian')) FROM p;" "fin_var(): method must be the same for every row, got 'gaussian' after 'historical'"
check_error "skewness methods" \
  "SELECT fin_skewness(price, 'unbiased') FROM p;" "fin_skewness(): method must be 'sample' or 'population', got text 'unbiased'"
check_error "kurtosis method NULL" \
  "SELECT fin_kurtosis(price, NULL) FROM p;" "fin_kurtosis(): method must be 'sample' or 'population', got NULL"
check_error "Omega: threshold > -1" \
  "SELECT fin_omega(price, -1) FROM p;" "fin_omega(): threshold must be a number > -1, got -1"
check_error "Omega: periods_per_year > 0" \
  "SELECT fin_omega(price, 0, 0) FROM p;" "fin_omega(): periods_per_year must be a number > 0, got 0"
check_error "a price as text" \
  "SELECT fin_ulcer_index(p) FROM (SELECT '101.5' AS p);" "fin_ulcer_index(): price must be a number, got text '101.5' (a number stored as text"
check_error "a price of 0, a negative price" \
  "SELECT fin_win_rate(p) FROM (SELECT 100 AS p UNION ALL SELECT 0);" "fin_win_rate(): price must be > 0, got 0"
check_error "a repeated time" \
  "SELECT fin_calmar(d, v) FROM (SELECT '2025-01-02' AS d, 100 AS v UNION ALL SELECT '2025-01-02', 101);" \
  "fin_calmar(): time must not repeat, got 2025-01-02 twice"
check_error "a time that is not one" \
  "SELECT fin_longest_drawdown_days('2025-02-30', 100);" \
  "fin_longest_drawdown_days(): time must be ISO-8601 text (YYYY-MM-DD) or a number, got text '2025-02-30'"
done_testing
