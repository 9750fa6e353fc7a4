# Decomposable graphical model averaging with dga::bma.cr (the README's call, 4 lists).
# Args: overlap CSV (4 lists). Prints: elapsed, CPU, 2.5%, median, 97.5% of N.
suppressMessages(library(dga))
args <- commandArgs(trailingOnly = TRUE)
d <- read.csv(args[1])
lists <- setdiff(names(d), "count")
Y <- array(0, dim = rep(2, length(lists)))
for (i in seq_len(nrow(d))) Y[matrix(as.integer(d[i, lists]) + 1, nrow = 1)] <- d$count[i]
data(graphs4)
p0 <- proc.time()
Nmissing <- 0:20000
w <- bma.cr(Y, Nmissing, 2^-4, graphs4)
post <- colSums(w)
p1 <- proc.time()
cdf <- cumsum(post) / sum(post)
n <- sum(d$count)
q <- sapply(c(0.025, 0.5, 0.975), function(p) n + Nmissing[which(cdf >= p)[1]])
cpu <- (p1[["user.self"]] + p1[["sys.self"]]) - (p0[["user.self"]] + p0[["sys.self"]])
cat(sprintf("%.4f\t%.4f\t%.0f\t%.0f\t%.0f\n", p1[["elapsed"]] - p0[["elapsed"]], cpu, q[1], q[2], q[3]))
