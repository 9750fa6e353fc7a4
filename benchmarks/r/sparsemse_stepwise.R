# Chan-Silverman-Vincent stepwise with SparseMSE::estimatepopulation.0 (the README's call).
# Args: overlap CSV. Prints: elapsed, CPU, estimate, lower, upper (tab-separated).
suppressMessages(library(SparseMSE))
args <- commandArgs(trailingOnly = TRUE)
d <- read.csv(args[1])
d <- d[rowSums(d[, setdiff(names(d), "count"), drop = FALSE]) > 0, ]
p0 <- proc.time()
est <- estimatepopulation.0(d, method = "stepwise", pthresh = 0.02)
p1 <- proc.time()
e <- unlist(est$estimate)
cpu <- (p1[["user.self"]] + p1[["sys.self"]]) - (p0[["user.self"]] + p0[["sys.self"]])
cat(sprintf("%.4f\t%.4f\t%.2f\t%.2f\t%.2f\n", p1[["elapsed"]] - p0[["elapsed"]], cpu, e[1], e[2], e[3]))
