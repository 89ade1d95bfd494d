// Autosave of a form's draft (admissions: the applicant's profile and education forms). A few
// seconds after the last change the form's fields, never passwords or files, go to the form's
// data-autosave-url; a draft the server kept (the #form-draft JSON) is put back into the form on load.
(function () {
  "use strict";

  var DELAY_MS = 2000;
  var form = document.querySelector("form[data-autosave-url]");
  if (!form) {
    return;
  }
  var token = form.querySelector("input[name=csrfmiddlewaretoken]").value;
  var status = document.querySelector("[data-autosave-status]");
  var timer = null;
  var submitting = false;

  function kept(element) {
    return (
      element.name &&
      !element.disabled &&
      element.name !== "csrfmiddlewaretoken" &&
      ["password", "file", "submit", "button", "hidden"].indexOf(element.type) === -1
    );
  }

  function isGroup(element) {
    return form.querySelectorAll('input[type="checkbox"][name="' + element.name + '"]').length > 1;
  }

  function collect() {
    var data = {};
    Array.prototype.forEach.call(form.elements, function (element) {
      if (!kept(element)) {
        return;
      }
      if (element.type === "checkbox" && isGroup(element)) {
        data[element.name] = data[element.name] || [];
        if (element.checked) {
          data[element.name].push(element.value);
        }
      } else if (element.type === "checkbox") {
        data[element.name] = element.checked;
      } else if (element.type === "radio") {
        if (element.checked) {
          data[element.name] = element.value;
        }
      } else if (element.multiple) {
        data[element.name] = Array.prototype.map.call(element.selectedOptions, function (option) {
          return option.value;
        });
      } else {
        data[element.name] = element.value;
      }
    });
    return data;
  }

  function restore(data) {
    Array.prototype.forEach.call(form.elements, function (element) {
      if (!kept(element) || !(element.name in data)) {
        return;
      }
      var value = data[element.name];
      if (element.type === "checkbox") {
        element.checked = Array.isArray(value) ? value.indexOf(element.value) !== -1 : value === true;
      } else if (element.type === "radio") {
        element.checked = element.value === value;
      } else if (element.multiple && Array.isArray(value)) {
        Array.prototype.forEach.call(element.options, function (option) {
          option.selected = value.indexOf(option.value) !== -1;
        });
      } else if (typeof value === "string") {
        element.value = value;
      }
    });
  }

  function save() {
    timer = null;
    if (submitting) {
      return;
    }
    fetch(form.dataset.autosaveUrl, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": token },
      body: JSON.stringify(collect()),
    })
      .then(function (response) {
        if (response.ok) {
          form.dataset.autosaved = "true";
          if (status) {
            status.textContent = status.dataset.savedText;
          }
        }
      })
      .catch(function () {
        // Offline: the next change tries again, and what is typed stays in the page meanwhile.
      });
  }

  function changed() {
    delete form.dataset.autosaved;
    if (timer) {
      clearTimeout(timer);
    }
    timer = setTimeout(save, DELAY_MS);
  }

  var draft = document.getElementById("form-draft");
  if (draft) {
    restore(JSON.parse(draft.textContent));
  }
  form.addEventListener("input", changed);
  form.addEventListener("change", changed);
  form.addEventListener("submit", function () {
    submitting = true;
    if (timer) {
      clearTimeout(timer);
    }
  });
})();
