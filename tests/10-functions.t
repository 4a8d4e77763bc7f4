#!/bin/sh
# Scalar, running window and aggregate functions on a short series whose
# every value is worked out by hand below (r(x) = round(x, 6); '-' = NULL).
#
#  A: 2023-12-28 100 | 12-29 102 | 2024-01-02 101 | 01-03 105.04 |
#     01-04 105.04 (equal high) | 01-05 NULL | 01-08 99.788 | 04-01 110
#  B: 2024-03-28 50 | 04-01 55 | 04-02 60.5
. "$(dirname "$0")/lib.sh"
plan 44
SETUP="CREATE TABLE p(k TEXT, d TEXT, c REAL);
INSERT INTO p VALUES ('A','2023-12-28',100),('A','2023-12-29',102),('A','2024-01-02',101),
 ('A','2024-01-03',105.04),('A','2024-01-04',105.04),('A','2024-01-05',NULL),
 ('A','2024-01-08',99.788),('A','2024-04-01',110),
 ('B','2024-03-28',50),('B','2024-04-01',55),('B','2024-04-02',60.5);"
W="WINDOW w AS (PARTITION BY k ORDER BY d)"
col() { # col EXPR [WINDOW]: one line per row, k d value
  echo "SELECT k, d, ifnull(round($1, 6), '-') FROM p ${2:-$W} ORDER BY k, d;"
}

# ---------------------------------------------------------------- scalars
check "fin_version reads VERSION" "SELECT fin_version();" "v$(cat "$ROOT/VERSION")"
check "fin_pct_change" "SELECT fin_pct_change(110, 100), fin_pct_change(90, 100);" "0.1|-0.1"
check "fin_log_return" "SELECT round(fin_log_return(110, 100), 12), round(ln(1.1), 12);" "0.095310179804|0.095310179804"
check "fin_cagr doubles in 5 years" "SELECT round(fin_cagr(100, 200, 5), 10);" "0.148698355"
check "fin_annualize default 252" "SELECT round(fin_annualize(0.1, 126), 12), round(fin_annualize(0.01, 1, 12), 10);" "0.21|0.1268250301"
check "scalars give NULL for NULL" "SELECT quote(fin_pct_change(NULL, 1)), quote(fin_cagr(1, 2, NULL)), quote(fin_annualize(NULL, 1));" "NULL|NULL|NULL"

# -------------------------------------------------------- running windows
check "fin_rolling_return(c, 2): NULL until 2 earlier prices, NULL row skipped" "$(col 'fin_rolling_return(c, 2) OVER w')" "A|2023-12-28|-
A|2023-12-29|-
A|2024-01-02|0.01
A|2024-01-03|0.029804
A|2024-01-04|0.04
A|2024-01-05|-
A|2024-01-08|-0.05
A|2024-04-01|0.04722
B|2024-03-28|-
B|2024-04-01|-
B|2024-04-02|0.21"
check "fin_drawdown from the running high" "$(col 'fin_drawdown(c) OVER w')" "A|2023-12-28|0.0
A|2023-12-29|0.0
A|2024-01-02|-0.009804
A|2024-01-03|0.0
A|2024-01-04|0.0
A|2024-01-05|-
A|2024-01-08|-0.05
A|2024-04-01|0.0
B|2024-03-28|0.0
B|2024-04-01|0.0
B|2024-04-02|0.0"
check "fin_since_peak: 0 at an equal high, NULL rows not counted" "SELECT k, d, ifnull(fin_since_peak(c) OVER w, '-') FROM p $W ORDER BY k, d;" "A|2023-12-28|0
A|2023-12-29|0
A|2024-01-02|1
A|2024-01-03|0
A|2024-01-04|0
A|2024-01-05|-
A|2024-01-08|1
A|2024-04-01|0
B|2024-03-28|0
B|2024-04-01|0
B|2024-04-02|0"
check "fin_up_streak: flat breaks, NULL does not" "SELECT group_concat(s, ',') FROM (SELECT ifnull(fin_up_streak(c) OVER w, '-') s FROM p $W ORDER BY k, d);" "0,1,0,1,0,-,0,1,0,1,2"
check "fin_up_streak(c, 0.01): gains of at least 1%" "SELECT group_concat(s, ',') FROM (SELECT ifnull(fin_up_streak(c, 0.01) OVER w, '-') s FROM p $W ORDER BY k, d);" "0,1,0,1,0,-,0,1,0,1,2"
check "fin_down_streak and min_loss" "SELECT group_concat(s, ',') FROM (SELECT ifnull(fin_down_streak(c) OVER w, '-') || '/' || ifnull(fin_down_streak(c, 0.03) OVER w, '-') s FROM p $W ORDER BY k, d);" "0/0,0/0,1/0,0/0,0/0,-/-,1/1,0/0,0/0,0/0,0/0"
check "fin_streak(condition): NULL condition skipped" "SELECT group_concat(s, ',') FROM (SELECT ifnull(fin_streak(c > 100) OVER w, '-') s FROM p $W ORDER BY k, d);" "0,1,2,3,4,-,0,1,0,0,0"
check "fin_ytd_return: anchored at the previous year's last close" "$(col 'fin_ytd_return(d, c) OVER w')" "A|2023-12-28|-
A|2023-12-29|-
A|2024-01-02|-0.009804
A|2024-01-03|0.029804
A|2024-01-04|0.029804
A|2024-01-05|-
A|2024-01-08|-0.021686
A|2024-04-01|0.078431
B|2024-03-28|-
B|2024-04-01|-
B|2024-04-02|-"
check "fin_qtd_return and fin_mtd_return" "SELECT group_concat(s, ',') FROM (SELECT ifnull(round(fin_qtd_return(d, c) OVER w, 6), '-') || '/' || ifnull(round(fin_mtd_return(d, c) OVER w, 6), '-') s FROM p $W ORDER BY k, d);" "-/-,-/-,-0.009804/-0.009804,0.029804/0.029804,0.029804/0.029804,-/-,-0.021686/-0.021686,0.102337/0.102337,-/-,0.1/0.1,0.21/0.21"
check "fin_ytd_return accepts Julian day numbers" "SELECT group_concat(ifnull(round(r, 6), '-'), ',') FROM (SELECT fin_ytd_return(julianday(d), c) OVER w r FROM p $W ORDER BY k, d);" "-,-,-0.009804,0.029804,0.029804,-,-0.021686,0.078431,-,-,-"

# -------------------------------------------------- sliding frames (drawdown)
F="WINDOW w AS (PARTITION BY k ORDER BY d ROWS 2 PRECEDING)"
check "fin_drawdown over ROWS 2 PRECEDING (frame high, not all-time)" "SELECT group_concat(ifnull(round(x, 6), '-'), ',') FROM (SELECT fin_drawdown(c) OVER w x FROM p $F ORDER BY k, d);" "0.0,0.0,-0.009804,0.0,0.0,-,-0.05,0.0,0.0,0.0,0.0"
check "fin_since_peak over ROWS 2 PRECEDING" "SELECT group_concat(ifnull(x, '-'), ',') FROM (SELECT fin_since_peak(c) OVER w x FROM p $F ORDER BY k, d);" "0,0,1,0,0,-,1,0,0,0,0"
check "the high leaves the frame: drawdown from the 2-row high" "SELECT group_concat(round(y, 4), ',') FROM (SELECT fin_drawdown(x) OVER (ORDER BY i ROWS 1 PRECEDING) y FROM (SELECT 1 i, 10.0 x UNION ALL SELECT 2, 8 UNION ALL SELECT 3, 6 UNION ALL SELECT 4, 7));" "0.0,-0.2,-0.25,0.0"

# ----------------------------------------------------------- aggregates
check "fin_total_return(time, price) per symbol, rows in any order" "SELECT k, round(fin_total_return(d, c), 6) FROM (SELECT * FROM p ORDER BY d DESC) GROUP BY k;" "A|0.1
B|0.21"
check "fin_max_drawdown(time, price) per symbol, rows in any order" "SELECT k, round(fin_max_drawdown(d, c), 6) FROM (SELECT * FROM p ORDER BY c) GROUP BY k;" "A|-0.05
B|0.0"
check "fin_max_drawdown(price) and fin_total_return(price) in feed order" "SELECT round(fin_max_drawdown(c), 6), round(fin_total_return(c), 6) FROM (SELECT c FROM p WHERE k = 'A' ORDER BY d);" "-0.05|0.1"
check "aggregates: no rows gives NULL, one price gives 0" "SELECT quote(fin_total_return(c)), quote(fin_max_drawdown(c)), quote(fin_compound(c)) FROM p WHERE 0; SELECT fin_total_return(c), fin_max_drawdown(c) FROM p WHERE d = '2024-04-02';" "NULL|NULL|NULL
0.0|0.0"
check "fin_compound" "SELECT round(fin_compound(r), 12) FROM (SELECT 0.1 r UNION ALL SELECT -0.1 UNION ALL SELECT 0.2 UNION ALL SELECT NULL);" "0.188"
check "fin_compound of a total loss is -1" "SELECT fin_compound(r) FROM (SELECT 0.5 r UNION ALL SELECT -1);" "-1.0"
check "fin_total_return over ROWS 2 PRECEDING" "SELECT group_concat(ifnull(round(x, 6), '-'), ',') FROM (SELECT fin_total_return(c) OVER w x FROM p $F ORDER BY k, d);" "0.0,0.02,0.01,0.029804,0.04,0.0,-0.05,0.102337,0.0,0.1,0.21"
check "fin_max_drawdown over ROWS 2 PRECEDING" "SELECT group_concat(ifnull(round(x, 6), '-'), ',') FROM (SELECT fin_max_drawdown(c) OVER w x FROM p $F ORDER BY k, d);" "0.0,0.0,-0.009804,-0.009804,0.0,0.0,-0.05,0.0,0.0,0.0,0.0"
check "fin_max_drawdown(time, price) over a sliding frame" "SELECT group_concat(ifnull(round(x, 6), '-'), ',') FROM (SELECT fin_max_drawdown(d, c) OVER w x FROM p $F ORDER BY k, d);" "0.0,0.0,-0.009804,-0.009804,0.0,0.0,-0.05,0.0,0.0,0.0,0.0"
check "fin_compound over a sliding frame" "SELECT group_concat(round(y, 6), ',') FROM (SELECT fin_compound(r) OVER (ORDER BY i ROWS 1 PRECEDING) y FROM (SELECT 1 i, 0.1 r UNION ALL SELECT 2, -0.1 UNION ALL SELECT 3, 0.2 UNION ALL SELECT 4, -1 UNION ALL SELECT 5, 0.5));" "0.1,-0.01,0.08,-1.0,-1.0"
check "empty frame (2 PRECEDING AND 1 PRECEDING) gives NULL on the first row" "SELECT group_concat(ifnull(round(x, 6), '-'), ',') FROM (SELECT fin_total_return(c) OVER (PARTITION BY k ORDER BY d ROWS BETWEEN 2 PRECEDING AND 1 PRECEDING) x FROM p ORDER BY k, d);" "-,0.0,0.02,-0.009804,0.04,0.0,0.0,0.0,-,0.0,0.1"
check "FOLLOWING..FOLLOWING frame" "SELECT group_concat(ifnull(round(x, 6), '-'), ',') FROM (SELECT fin_max_drawdown(c) OVER (PARTITION BY k ORDER BY d ROWS BETWEEN 1 FOLLOWING AND 2 FOLLOWING) x FROM p ORDER BY k, d);" "-0.009804,0.0,0.0,0.0,0.0,0.0,0.0,-,0.0,0.0,-"
check "FILTER skips rows before the window sees them" "SELECT group_concat(ifnull(round(x, 6), '-'), ',') FROM (SELECT fin_total_return(c) FILTER (WHERE c > 100) OVER (PARTITION BY k ORDER BY d) x FROM p WHERE k = 'A' ORDER BY d);" "-,0.0,-0.009804,0.029804,0.029804,0.029804,0.029804,0.078431"
check "RANGE over julianday: drawdown from the 7-calendar-day high" "SELECT group_concat(round(y, 6), ',') FROM (SELECT fin_drawdown(c) OVER (ORDER BY julianday(d) RANGE 7 PRECEDING) y FROM p WHERE k = 'A' AND c IS NOT NULL ORDER BY d);" "0.0,0.0,-0.009804,0.0,0.0,-0.05,0.0"
check "GROUPS frame" "SELECT group_concat(round(y, 6), ',') FROM (SELECT fin_max_drawdown(c) OVER (ORDER BY d GROUPS 1 PRECEDING) y FROM p WHERE k = 'A' AND c IS NOT NULL ORDER BY d);" "0.0,0.0,-0.009804,0.0,0.0,-0.05,0.0"
check "aggregates work under EXCLUDE (rule 9)" "SELECT group_concat(ifnull(round(x, 6), '-'), ',') FROM (SELECT fin_total_return(c) OVER (PARTITION BY k ORDER BY d ROWS BETWEEN 1 PRECEDING AND 1 FOLLOWING EXCLUDE CURRENT ROW) x FROM p ORDER BY k, d);" "0.0,0.01,0.029804,0.04,0.0,-0.05,0.0,0.0,0.0,0.21,0.0"
check "a sliding frame is shorter on the first rows and counts NULL rows (rule 4)" "SELECT group_concat(ifnull(round(x, 6), '-'), ',') FROM (SELECT fin_drawdown(c) OVER (ORDER BY d ROWS 2 PRECEDING) x FROM p WHERE k = 'A' ORDER BY d);" "0.0,0.0,-0.009804,0.0,0.0,-,-0.05,0.0"
check "count(price) OVER the same frame keeps only full frames (rule 4)" "SELECT group_concat(ifnull(round(x, 6), '-'), ',') FROM (SELECT CASE WHEN count(c) OVER w = 3 THEN fin_drawdown(c) OVER w END x FROM p WHERE k = 'A' WINDOW w AS (ORDER BY d ROWS 2 PRECEDING) ORDER BY d);" "-,-,-0.009804,0.0,0.0,-,-,-"
check "fin_median and fin_quantile" "SELECT fin_median(x), fin_quantile(x, 0.9), fin_quantile(x, 0) FROM (SELECT 5 x UNION ALL SELECT 1 UNION ALL SELECT 4 UNION ALL SELECT 2 UNION ALL SELECT 3 UNION ALL SELECT NULL);" "3.0|4.6|1.0"
check "fin_median of an even count interpolates" "SELECT fin_median(x) FROM (SELECT 4 x UNION ALL SELECT 1 UNION ALL SELECT 3 UNION ALL SELECT 2);" "2.5"
check "fin_median over a sliding frame" "SELECT group_concat(y, ',') FROM (SELECT fin_median(x) OVER (ORDER BY i ROWS 2 PRECEDING) y FROM (SELECT 1 i, 5 x UNION ALL SELECT 2, 1 UNION ALL SELECT 3, 4 UNION ALL SELECT 4, 9 UNION ALL SELECT 5, 9));" "5.0,3.0,4.0,4.0,9.0"
check "fin_median of nothing is NULL" "SELECT quote(fin_median(c)) FROM p WHERE 0;" "NULL"

# -------------------------------------------- flags and trusted_schema=OFF
check "every function but fin_pack and fin_unpack is deterministic and innocuous (flags 0x800|0x200000)" "SELECT count(*), sum((flags & 0x800) != 0), sum((flags & 0x200000) != 0), sum((flags & 0x80000) != 0) FROM pragma_function_list WHERE name LIKE 'fin\_%' ESCAPE '\\' AND name NOT IN ('fin_pack', 'fin_unpack');" "116|116|116|0"
check "fin_pack and fin_unpack write tables: DIRECTONLY (0x80000), neither deterministic nor innocuous" "SELECT name, narg, flags & 0x800, flags & 0x200000, flags & 0x80000 FROM pragma_function_list WHERE name IN ('fin_pack', 'fin_unpack') ORDER BY 1, 2;" "fin_pack|1|0|0|524288
fin_pack|2|0|0|524288
fin_unpack|1|0|0|524288"
check "every fin_ function (19 names, 24 forms) works inside views under trusted_schema=OFF" "PRAGMA trusted_schema=OFF;
CREATE VIEW v AS SELECT d, fin_drawdown(c) OVER (ORDER BY d) dd, fin_rolling_return(c, 1) OVER (ORDER BY d) r,
 fin_ytd_return(d, c) OVER (ORDER BY d) y, fin_up_streak(c) OVER (ORDER BY d) u, fin_pct_change(c, 100) pc FROM p WHERE k = 'B';
CREATE VIEW v2 AS SELECT fin_max_drawdown(d, c) m, fin_total_return(d, c) t, fin_median(c) md, fin_version() v FROM p WHERE k = 'A';
CREATE VIEW v3 AS SELECT fin_since_peak(c) OVER w a, fin_streak(c > 50) OVER w b, fin_down_streak(c, 0.01) OVER w e,
 fin_qtd_return(d, c) OVER w f, fin_mtd_return(d, c) OVER w g, fin_log_return(c, 50) h, fin_cagr(50, c, 1) i,
 fin_annualize(0.01, 5, 252) j, fin_up_streak(c, 0.01) OVER w l FROM p WHERE k = 'B' WINDOW w AS (ORDER BY d);
CREATE VIEW v4 AS SELECT fin_compound(c / 100) a, fin_quantile(c, 0.5) b, fin_total_return(c) c1, fin_max_drawdown(c) d1 FROM p WHERE k = 'B';
SELECT count(*) FROM v; SELECT m FROM v2; SELECT count(*) FROM v3; SELECT count(*) FROM v4;" "3
-0.05
3
1"
done_testing
