# homelink: a static binary on a distroless, non-root base with CA
# certificates and time-zone data. .ci/run builds with the same flags.
FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /out/homelink ./cmd/homelink

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/homelink /homelink
USER nonroot:nonroot
EXPOSE 8080
ENTRYPOINT ["/homelink"]
CMD ["serve"]
