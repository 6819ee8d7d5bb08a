// contract-oracle judges CronJob schedules, resource quantities and time zones with the libraries
// Kubernetes itself uses (robfig/cron v3, k8s.io/apimachinery), for the tenant contract's
// differential test. One JSON request per input line, one JSON answer per output line.
package main

import (
	"bufio"
	"encoding/json"
	"os"
	"strings"
	"time"
	// time zones load from the embedded IANA database, as in the API server
	_ "time/tzdata"

	"github.com/robfig/cron/v3"
	"k8s.io/apimachinery/pkg/api/resource"
)

type request struct {
	Kind  string `json:"kind"`
	Value string `json:"value"`
	// For schedules: the instant after which the next Count fire times are listed (RFC 3339).
	From  string `json:"from,omitempty"`
	Count int    `json:"count,omitempty"`
	// For schedules: the CronJob's spec.timeZone, applied as its controller does (a CRON_TZ prefix).
	Zone string `json:"zone,omitempty"`
}

type answer struct {
	OK    bool     `json:"ok"`
	Error string   `json:"error,omitempty"`
	Next  []string `json:"next,omitempty"`
	// For quantities: the exact decimal value.
	Value string `json:"value,omitempty"`
}

func main() {
	// A CronJob without spec.timeZone fires in the controller's zone; the contract's is UTC.
	time.Local = time.UTC
	in := bufio.NewScanner(os.Stdin)
	in.Buffer(make([]byte, 1<<20), 1<<20)
	out := json.NewEncoder(os.Stdout)
	for in.Scan() {
		var req request
		if err := json.Unmarshal(in.Bytes(), &req); err != nil {
			_ = out.Encode(answer{Error: "bad request: " + err.Error()})
			continue
		}
		_ = out.Encode(judge(req))
	}
}

func judge(req request) answer {
	switch req.Kind {
	case "schedule":
		// The API server's CronJob validation: ParseStandard, and no TZ anywhere in the schedule.
		if strings.Contains(req.Value, "TZ") {
			return answer{Error: "cannot use TZ or CRON_TZ in schedule, use timeZone field instead"}
		}
		schedule, err := cron.ParseStandard(req.Value)
		if err != nil {
			return answer{Error: err.Error()}
		}
		if req.Zone != "" {
			if schedule, err = cron.ParseStandard("CRON_TZ=" + req.Zone + " " + req.Value); err != nil {
				return answer{Error: err.Error()}
			}
		}
		from, err := time.Parse(time.RFC3339, req.From)
		if err != nil {
			return answer{Error: "bad from: " + err.Error()}
		}
		result := answer{OK: true, Next: []string{}}
		t := from.UTC()
		for i := 0; i < req.Count; i++ {
			t = schedule.Next(t)
			if t.IsZero() {
				break
			}
			result.Next = append(result.Next, t.UTC().Format(time.RFC3339))
		}
		return result
	case "quantity":
		// The API server decodes a quantity's JSON string trimmed of surrounding space.
		q, err := resource.ParseQuantity(strings.TrimSpace(req.Value))
		if err != nil {
			return answer{Error: err.Error()}
		}
		return answer{OK: true, Value: q.AsDec().String()}
	case "timezone":
		// The API server's CronJob spec.timeZone validation.
		if req.Value == "" || strings.EqualFold(req.Value, "Local") {
			return answer{Error: "timeZone must be an explicit time zone as defined in https://www.iana.org/time-zones"}
		}
		if _, err := time.LoadLocation(req.Value); err != nil {
			return answer{Error: err.Error()}
		}
		return answer{OK: true}
	}
	return answer{Error: "unknown kind " + req.Kind}
}
