# The commands README.md names; .ci/run uses the same ones.
.PHONY: test lint run sandbox build docker bench

# test.sh installs or names what the tests need, then runs the suite.
test:
	./test.sh

lint:
	@test -z "$$(gofmt -l $$(git ls-files '*.go'))" || (gofmt -l $$(git ls-files '*.go'); exit 1)
	go vet ./...

run:
	go run ./cmd/homelink

sandbox:
	go run ./cmd/homelink sandbox

build:
	CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o homelink ./cmd/homelink

docker:
	docker build -t homelink .

bench:
	go test -run XXX -bench 'Webhook' -benchtime 20000x ./app
	go test -run XXX -bench 'RemindersSameMinute|ReminderMemory' -benchtime 1x -count 5 ./app
	go test -run XXX -bench OpenMailbox200 -benchtime 50x -count 5 ./app
	go test -run XXX -bench MailItemMemory -benchtime 1x -count 3 ./store
	go test -run XXX -bench 'EnqueueAll|EnqueueEach' ./outbox
	go test -run XXX -bench . -benchtime 5x ./cmd/homelink
	go test -run XXX -bench ThroughputLimitsOff -benchtime 20000x ./outbox
	go test -run XXX -bench AchievedRate -benchtime 6000x ./outbox
	go test -run XXX -bench InteractiveDuringBulk -benchtime 200x ./outbox
