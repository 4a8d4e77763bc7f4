#!/bin/sh
# The risk aggregates on hand-worked numbers.
#  p: 100, 110, 99, 108.9 (a NULL between 110 and 99): simple returns 0.1,
#     -0.1, 0.1, mean 1/30, sample sd sqrt(0.02667/2) = 0.115470; log returns
#     ln 1.1, ln 0.9, ln 1.1: sample sd 0.115857.
#  Sharpe at 1 period a year: (1/30) / 0.115470 = 0.288675; 4 a year: x2.
#  risk_free 21% a year at 2 periods: 10% a period: (1/30 - 0.1) / 0.115470 * sqrt(2) = -0.816497.
#  Sortino: downside sqrt((0 + 0.01 + 0) / 3) = 0.057735: (1/30) / 0.057735 = 0.577350.
#  x, y: (0.02, 0.01), (-0.01, -0.01), (0.03, 0.02), (NULL, 0.5) skipped:
#     cov / var(y) = 0.000633 / 0.000467 = 19/14 = 1.357143; r = 0.995871.
. "$(dirname "$0")/lib.sh"
plan 22
SETUP="CREATE TABLE p(t INTEGER, price REAL);
INSERT INTO p VALUES (1, 100), (2, 110), (3, NULL), (4, 99), (5, 108.9);
CREATE TABLE xy(t INTEGER, x REAL, y REAL);
INSERT INTO xy VALUES (1, 0.02, 0.01), (2, -0.01, -0.01), (3, 0.03, 0.02), (4, NULL, 0.5);"
IN_ORDER="(SELECT price FROM p ORDER BY t)"

check "fin_volatility: sample sd of log returns, annualised (252 a year by default)" \
  "SELECT round(fin_volatility(price, 1), 6), round(fin_volatility(price), 6) FROM $IN_ORDER;" "0.115857|1.839177"
check "fin_sharpe: mean over sample sd of simple returns, times sqrt(periods a year)" \
  "SELECT round(fin_sharpe(price, 0, 1), 6), round(fin_sharpe(price, 0, 4), 6) FROM $IN_ORDER;" "0.288675|0.57735"
check "fin_sharpe: an annual risk-free rate compounds to the period's" \
  "SELECT round(fin_sharpe(price, 0.21, 2), 6) FROM $IN_ORDER;" "-0.816497"
check "fin_sortino: mean over the downside deviation of all returns" \
  "SELECT round(fin_sortino(price, 0, 1), 6), round(fin_sortino(price), 6) FROM $IN_ORDER;" "0.57735|9.165151"
check "fin_beta and fin_correlation skip a pair with a NULL" \
  "SELECT round(fin_beta(x, y), 6), round(fin_correlation(x, y), 6) FROM xy;" "1.357143|0.995871"
check "beta of a series on itself is 1, correlation 1; on its negative -1" \
  "SELECT fin_beta(x, x), round(fin_correlation(x, x), 12), round(fin_correlation(x, -x), 12) FROM xy;" "1.0|1.0|-1.0"
check "undefined is NULL: one return (sd), a flat series (Sharpe), no loss (Sortino), no rows" \
  "SELECT quote(fin_volatility(price)), quote(fin_sharpe(price)) FROM (SELECT 100 AS price UNION ALL SELECT 101);
   SELECT quote(fin_sharpe(price)), quote(fin_sortino(price)) FROM (SELECT 100 AS price UNION ALL SELECT 100 UNION ALL SELECT 100);
   SELECT quote(fin_sortino(price)) FROM (SELECT 100 AS price UNION ALL SELECT 101 UNION ALL SELECT 102);
   SELECT quote(fin_beta(x, y)), quote(fin_correlation(x, y)), quote(fin_volatility(x)) FROM xy WHERE 0;" \
  "NULL|NULL
NULL|NULL
NULL
NULL|NULL|NULL"
check "a sliding frame of 4 rows (one NULL) holds 3 prices, 2 returns; the same as the aggregate of its rows" \
  "SELECT t, quote(round(fin_volatility(price, 1) OVER w, 6)), quote(round(fin_sharpe(price, 0, 1) OVER w, 6)) FROM p WINDOW w AS (ORDER BY t ROWS 3 PRECEDING);
   SELECT round(fin_volatility(price, 1), 6), round(fin_sharpe(price, 0, 1), 6) FROM (SELECT price FROM p WHERE t IN (2, 4, 5) ORDER BY t);" \
  "1|NULL|NULL
2|NULL|NULL
3|NULL|NULL
4|0.141896|0.0
5|0.141896|0.0
0.141896|0.0"
check "a sliding frame of pairs" \
  "SELECT t, quote(round(fin_beta(x, y) OVER w, 6)), quote(round(fin_correlation(x, y) OVER w, 6)) FROM xy WINDOW w AS (ORDER BY t ROWS 1 PRECEDING);" \
  "1|NULL|NULL
2|1.5|1.0
3|1.333333|1.0
4|NULL|NULL"
check "fin_cagr(time, price): the growth a year between the first and last times (365.25 days a year)" \
  "SELECT round(fin_cagr(t, v), 12) FROM (SELECT 0 AS t, 100 AS v UNION ALL SELECT 730.5, 121 UNION ALL SELECT 365, 90);
   SELECT round(fin_cagr(d, v), 6) FROM (SELECT '2020-01-01' AS d, 100 AS v UNION ALL SELECT '2024-12-31', 150);  -- 1826 days" \
  "0.1
0.084484"
check "fin_cagr: one time is NULL; a sliding frame in time order" \
  "SELECT quote(fin_cagr(t, v)) FROM (SELECT 5 AS t, 100 AS v);
   SELECT t, quote(round(fin_cagr(t, v) OVER (ORDER BY t ROWS 1 PRECEDING), 6)) FROM (SELECT 0 AS t, 100 AS v UNION ALL SELECT 365.25, 110 UNION ALL SELECT 730.5, 99);" \
  "NULL
0|NULL
365.25|0.1
730.5|-0.1"
check "the scalar fin_cagr(start, end, years) is unchanged beside the aggregate" \
  "SELECT round(fin_cagr(100, 121, 2), 12);" "0.1"
check "GROUP BY and PARTITION BY: one answer per key" \
  "SELECT k, round(fin_volatility(price, 1), 6) FROM (SELECT 'a' AS k, price, t FROM p UNION ALL SELECT 'b', price * 2, t FROM p ORDER BY k, t) GROUP BY k;" \
  "a|0.115857
b|0.115857"
check_error "fin_volatility: a text price is an error" \
  "SELECT fin_volatility(p) FROM (SELECT '101.5' AS p);" "fin_volatility(): price must be a number, got text '101.5'"
check_error "fin_sharpe: a price of 0" \
  "SELECT fin_sharpe(p) FROM (SELECT 0 AS p);" "fin_sharpe(): price must be > 0, got 0"
check_error "fin_volatility: periods_per_year must be > 0" \
  "SELECT fin_volatility(price, 0) FROM p;" "fin_volatility(): periods_per_year must be a number > 0, got 0"
check_error "fin_sortino: risk_free must be > -1" \
  "SELECT fin_sortino(price, -1) FROM p;" "fin_sortino(): risk_free must be a number > -1, got -1"
check_error "fin_sharpe: risk_free NULL" \
  "SELECT fin_sharpe(price, NULL) FROM p;" "fin_sharpe(): risk_free must be a number > -1, got NULL"
check_error "fin_sharpe: periods_per_year must be constant" \
  "SELECT fin_sharpe(price, 0, t) FROM p;" "fin_sharpe(): periods_per_year must be the same for every row, got 2 after 1"
check_error "fin_beta: text is an error" \
  "SELECT fin_beta(x, 'a') FROM xy;" "fin_beta(): benchmark_ret must be a number, got text 'a'"
check_error "fin_correlation: a blob" \
  "SELECT fin_correlation(x'00', 1);" "fin_correlation(): x must be a number, got a blob"
check_error "fin_cagr(time, price): a repeated time" \
  "SELECT fin_cagr(t, v) FROM (SELECT 1 AS t, 100 AS v UNION ALL SELECT 1, 101);" "fin_cagr(): time must not repeat"
done_testing
