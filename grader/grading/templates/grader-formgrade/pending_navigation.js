// Formgrader's navigation for grading one question across a cohort (see
// grader/grading/formgrade_view.py): Ctrl-. and the Next link save, then go to the same
// answer of the next learner whose answer there still needs grading; Ctrl-Shift-. goes to
// the next learner, whoever it is. A status line says how many learners still wait.
(function () {
  "use strict";
  var parse = function (data) { return typeof data === "string" ? JSON.parse(data) : data; };
  var pendingUrl = function () {
    return base_url + "/api/submitted_notebooks/" + encodeURIComponent(assignment_id) +
      "/" + encodeURIComponent(notebook_id);
  };
  var listUrl = function () {
    return base_url + "/gradebook/" + encodeURIComponent(assignment_id) + "/" +
      encodeURIComponent(notebook_id);
  };
  var submissions = function () {
    return $.ajax({ url: pendingUrl(), dataType: "json", cache: false }).then(parse).then(function (all) {
      return all.sort(function (a, b) {
        return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
      });
    });
  };
  var stillPending = function (all, current) {
    return all.filter(function (s) { return s.needs_manual_grade && s.id !== current; });
  };
  var showPending = function () {
    submissions().then(function (all) {
      var left = stillPending(all, submission_id).length;
      var here = all.some(function (s) { return s.id === submission_id && s.needs_manual_grade; });
      var text = left === 0
        ? "No other learner has written answers to grade."
        : left + (left === 1 ? " other learner has" : " other learners have") +
          " written answers to grade.";
      if (here) { text = "This learner's written answers need grading. " + text; }
      $("#grader-pending").text(text + " Ctrl-. saves and goes to the next of them.");
    });
  };
  var grades = function (id) {
    return $.ajax({
      url: base_url + "/api/grades", data: { submission_id: id }, dataType: "json", cache: false
    }).then(parse);
  };
  var fieldIndex = function (name) {
    return $(".tabbable").index($("#" + CSS.escape(name)));
  };
  var scoreField = function (formgrader) {
    var score = formgrader.last_selected.parents(".nbgrader_cell").find(".score");
    return score.length ? score.attr("id") : null;
  };
  var go = function (id, index) {
    window.location = base_url + "/submissions/" + id + "/?index=" + index;
  };
  // The next learner (after this one, in formgrader's order) whose answer in the same
  // field waits; once nobody's does, the first waiting learner at their first waiting
  // answer; once nothing waits, the list of submissions.
  var nextPending = function () {
    var formgrader = this;
    var field = scoreField(this);
    var started = false;
    // formgrader calls back on every "finished_saving" event from now on: go only once,
    // or a second navigation would cut off the first.
    this.save(function () {
      if (started) { return; }
      started = true;
      submissions().then(function (all) {
        // Everyone after this learner, then those before, then this learner again.
        var at = all.map(function (s) { return s.id; }).indexOf(submission_id);
        var order = all.slice(at + 1).concat(all.slice(0, at + 1)).filter(function (s) {
          return s.needs_manual_grade;
        });
        if (order.length === 0) { window.location = listUrl(); return; }
        var firstWaiting = function () {
          return grades(order[0].id).then(function (found) {
            var indices = found.filter(function (g) { return g.needs_manual_grade; })
              .map(function (g) { return fieldIndex(g.name); })
              .filter(function (i) { return i >= 0; })
              .sort(function (a, b) { return a - b; });
            go(order[0].id, indices.length ? indices[0] : 0);
          });
        };
        var tryFrom = function (k) {
          if (field === null || k === order.length) { return firstWaiting(); }
          return grades(order[k].id).then(function (found) {
            var waits = found.some(function (g) { return g.name === field && g.needs_manual_grade; });
            return waits ? go(order[k].id, formgrader.current_index) : tryFrom(k + 1);
          });
        };
        return tryFrom(0);
      }).then(null, function () {
        window.location = formgrader.navigateTo("next");
      });
    });
  };
  var nextAny = FormGrader.prototype.nextAssignment;
  FormGrader.prototype.nextAssignment = nextPending;
  FormGrader.prototype.nextIncorrectAssignment = nextAny;
  var init = FormGrader.prototype.init;
  FormGrader.prototype.init = function () {
    // The first field is the first score to give, not the Next link.
    $("li.next a").removeClass("tabbable");
    init.call(this);
    var formgrader = this;
    var help = this.keyboard_manager.help;
    help["control-."] = "Save, then go to the same field of the next learner whose " +
      "written answers still need grading";
    help["control-shift-."] = "Save, then go to the same field of the next learner";
    $("li.next a").attr({ title: "Next learner with written answers to grade",
                          "data-original-title": "Next learner with written answers to grade" })
      .on("click", function (event) { event.preventDefault(); formgrader.nextAssignment(); });
    $("body > .container").first().prepend(
      $("<p/>").attr({ id: "grader-pending", role: "status" }).addClass("grader-pending"));
    showPending();
  };
  // Without MathJax (not installed on this server), formgrader's start-up would stop at
  // its first MathJax call and no shortcut would work: stand in for the part it uses.
  if (!window.MathJax) {
    window.MathJax = {
      loaded: false,
      Hub: {
        Queue: function () {},
        Config: function () {},
        Startup: { signal: { Interest: function (listen) { $(function () { listen("End"); }); } } }
      }
    };
  }
})();
