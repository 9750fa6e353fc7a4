# All hierarchical log-linear models by BIC with Rcapture::closedpMS.t (the README's call).
# Args: overlap CSV (0/1 list columns, count). Prints: elapsed, CPU, models fitted, N of
# the BIC-best model, its name (tab-separated). CPU and elapsed exclude R's start-up.
suppressMessages(library(Rcapture))
args <- commandArgs(trailingOnly = TRUE)
d <- read.csv(args[1])
d <- d[rowSums(d[, setdiff(names(d), "count"), drop = FALSE]) > 0, ]
p0 <- proc.time()
fit <- closedpMS.t(as.matrix(d), dfreq = TRUE, maxorder = as.integer(args[2]))
p1 <- proc.time()
res <- fit$results
ok <- is.finite(res[, "BIC"])
best <- which.min(ifelse(ok, res[, "BIC"], Inf))
cpu <- (p1[["user.self"]] + p1[["sys.self"]]) - (p0[["user.self"]] + p0[["sys.self"]])
cat(sprintf("%.4f\t%.4f\t%d\t%.2f\t%s\n", p1[["elapsed"]] - p0[["elapsed"]], cpu, nrow(res),
            res[best, "abundance"], rownames(res)[best]))
